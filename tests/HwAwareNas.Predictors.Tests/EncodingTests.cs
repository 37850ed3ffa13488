using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Encodings;

namespace HwAwareNas.Predictors.Tests;

[TestClass]
public sealed class EncodingTests
{
    // Tiny space: ks.0..3 {3,5}, e.0..3 {3,6}, d.0..1 {1,2}. Unit 0 has depth 1 (block 1 inactive), unit 1 depth 2.
    private static readonly Genome HandMade = new([1, 0, 0, 1, /* e */ 0, 1, 1, 1, /* d */ 0, 1]);

    [TestMethod]
    public void IntegerEncodingGivesPlainValuesOfEveryGene()
    {
        var encoding = new IntegerEncoding(SyntheticSpace.Tiny);

        CollectionAssert.AreEqual(new float[] { 5, 3, 3, 5, 3, 6, 6, 6, 1, 2 }, encoding.Encode(HandMade));
        Assert.AreEqual("ks.0", encoding.FeatureNames[0]);
    }

    [TestMethod]
    public void OneHotEncodingMasksInactiveGenes()
    {
        var encoding = new OneHotEncoding(SyntheticSpace.Tiny);

        CollectionAssert.AreEqual(
            new float[] { 0, 1, 0, 0, 1, 0, 0, 1, /* e */ 1, 0, 0, 0, 0, 1, 0, 1, /* d */ 1, 0, 0, 1 },
            encoding.Encode(HandMade));
        Assert.AreEqual("ks.0=5", encoding.FeatureNames[1]);
        Assert.AreEqual("d.1=2", encoding.FeatureNames[^1]);
    }

    [TestMethod]
    public void FeatureCountEncodingCountsValuesOfActiveGenesPerGroup()
    {
        var encoding = new FeatureCountEncoding(SyntheticSpace.Tiny);

        CollectionAssert.AreEqual(new[] { "ks=3", "ks=5", "e=3", "e=6", "d=1", "d=2" }, encoding.FeatureNames.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 2, 1, 2, 1, 1 }, encoding.Encode(HandMade));
    }

    [TestMethod]
    public void FccEncodingCountsKernelExpandCombinationsPerUnit()
    {
        var encoding = new FccEncoding(SyntheticSpace.Tiny);

        CollectionAssert.AreEqual(
            new[] { "u0:ks=3,e=3", "u0:ks=3,e=6", "u0:ks=5,e=3", "u0:ks=5,e=6", "u1:ks=3,e=3", "u1:ks=3,e=6", "u1:ks=5,e=3", "u1:ks=5,e=6" },
            encoding.FeatureNames.ToArray());

        // Unit 0: block 0 is (5,3); unit 1: block 2 is (3,6), block 3 is (5,6).
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 0, 0, 1, 0, 1 }, encoding.Encode(HandMade));
    }

    [TestMethod]
    public void EncodingsIgnoreGenesADepthLeavesUnused()
    {
        var other = HandMade.With(1, 1).With(5, 0);
        foreach (var name in new[] { "onehot", "fc", "fcc" })
        {
            var encoding = GenomeEncodings.Create(name, SyntheticSpace.Tiny);
            CollectionAssert.AreEqual(encoding.Encode(HandMade), encoding.Encode(other), name);
        }

        var integer = GenomeEncodings.Create("integer", SyntheticSpace.Tiny);
        CollectionAssert.AreNotEqual(integer.Encode(HandMade), integer.Encode(other));
    }

    [TestMethod]
    public void UnknownEncodingIsAConfigError()
    {
        var e = Assert.ThrowsExactly<HwNasException>(() => GenomeEncodings.Create("binary", SyntheticSpace.Tiny));

        Assert.AreEqual(ExitCode.BadConfig, e.ExitCode);
        StringAssert.Contains(e.Message, "fcc");
    }

    [TestMethod]
    public void GenomeOfWrongLengthIsRejected() =>
        Assert.ThrowsExactly<ArgumentException>(() => new OneHotEncoding(SyntheticSpace.Tiny).Encode(new Genome([0, 1])));
}
