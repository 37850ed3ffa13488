using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Tool.Commands;

namespace HwAwareNas.Tool.Tests;

/// <summary>One <c>--input</c> grammar for inspect, predictors and import.</summary>
[TestClass]
public sealed class InputShapeOptionTests
{
    [TestMethod]
    [DataRow("3,224,224")]
    [DataRow("3x224x224")]
    [DataRow(" 3 , 224 , 224 ")]
    public void CommasAndCrossesGiveTheSameShape(string text) =>
        Assert.AreEqual(new FeatureShape(3, 224, 224), FamilyArguments.ParseInput(text));

    [TestMethod]
    public void NoTextIsNoShape() => Assert.IsNull(FamilyArguments.ParseInput(" "));

    [TestMethod]
    [DataRow("3,224")]
    [DataRow("3x224x0")]
    [DataRow("3,224x224")]
    [DataRow("rgb")]
    public void OtherTextIsABadConfig(string text)
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => FamilyArguments.ParseInput(text));
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        StringAssert.Contains(error.Message, text);
    }
}
