using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Core.Tests.Evaluation;

[TestClass]
public sealed class ConstraintTests
{
    [TestMethod]
    public void BoundsReadWithSixDigitsAndTheirUnit()
    {
        // 0.001 ms less a 3 % margin is 0.0009699999999999999 in binary; people read 0.00097 ms.
        Assert.AreEqual("latency <= 0.00097 ms", Constraint.AtMost("latency", 0.001 * (1 - 0.03)).ToString());
        Assert.AreEqual("params <= 2500000 parameters", Constraint.AtMost("params", 2_500_000).ToString());
        Assert.AreEqual("size <= 1.5 MB", Constraint.AtMost("size", 1.5).ToString());

        // Accuracy bounds are fractions, as constraints.accuracy is written.
        Assert.AreEqual("accuracy >= 0.85", Constraint.AtLeast("accuracy", 0.85).ToString());
        Assert.AreEqual("0.0582 ms", Constraint.AtMost("latency", 1).Format(0.0582));
    }
}
