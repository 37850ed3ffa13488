using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

[TestClass]
public sealed class FamilySearchSpaceTests
{
    private static readonly IElasticFamily MobileNet = FamilyRegistry.Create("mobilenetv3");
    private static readonly IElasticFamily ResNet = FamilyRegistry.Create("resnet");
    private static readonly IElasticFamily Transformer = FamilyRegistry.Create("transformer");

    public static IEnumerable<object[]> Families => [[MobileNet], [ResNet], [Transformer]];

    [TestMethod]
    public void GeneLayoutsFollowOfa()
    {
        CollectionAssert.AreEqual(
            new[] { "ks", "e", "d" },
            MobileNet.Genes.Select(g => g.Group).Distinct().ToArray());
        Assert.AreEqual(20, MobileNet.Genes.Count(g => g.Group == "ks"));
        Assert.AreEqual(20, MobileNet.Genes.Count(g => g.Group == "e"));
        Assert.AreEqual(5, MobileNet.Genes.Count(g => g.Group == "d"));
        CollectionAssert.AreEqual(new[] { 3.0, 5, 7 }, MobileNet.Genes[0].Values.ToArray());

        CollectionAssert.AreEqual(new[] { "d", "e", "w" }, ResNet.Genes.Select(g => g.Group).Distinct().ToArray());
        Assert.AreEqual(5, ResNet.Genes.Count(g => g.Group == "d"));
        Assert.AreEqual(18, ResNet.Genes.Count(g => g.Group == "e"));
        Assert.AreEqual(6, ResNet.Genes.Count(g => g.Group == "w"));
        CollectionAssert.AreEqual(new[] { 0.2, 0.25, 0.35 }, ResNet.Genes.First(g => g.Group == "e").Values.ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void OfaNotationRoundTripsRandomGenomes(IElasticFamily family)
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var genome = family.Sample(random);
            var text = family.ToOfaNotation(genome);
            Assert.AreEqual(genome, family.FromOfaNotation(text), text);
            Assert.AreEqual(genome, family.ParseGenome(text));
        }
    }

    [TestMethod]
    public void UniformlyScaledGenomesPutEveryGeneAtOneRelativeLevel()
    {
        var levels = MobileNet.UniformlyScaled().Select(MobileNet.ToOfaNotation).ToArray();

        CollectionAssert.AreEqual(
            new[] { (3, 3, 2), (5, 4, 3), (7, 6, 4) }.Select(l => "{\"ks\":[" + string.Join(',', Enumerable.Repeat(l.Item1, 20)) + "],\"e\":["
                + string.Join(',', Enumerable.Repeat(l.Item2, 20)) + "],\"d\":[" + string.Join(',', Enumerable.Repeat(l.Item3, 5)) + "]}").ToArray(),
            levels);
        Assert.AreEqual(MobileNet.Smallest(), MobileNet.UniformlyScaled()[0]);
        Assert.AreEqual(MobileNet.Largest(), MobileNet.UniformlyScaled()[^1]);

        // Genes with fewer values than the most take the nearest relative position: two values map levels 0, 1, 2 to 0, 1, 1.
        var mixed = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(Settings: FamilySettingsReader.Split("ks=3/5,e=3/4/6,d=2/3/4")));
        var middle = mixed.ToOfaNotation(mixed.UniformlyScaled()[1]);
        StringAssert.StartsWith(middle, "{\"ks\":[5,5,5,", middle);
    }

    [TestMethod]
    public void OfaNotationWritesValues()
    {
        var text = MobileNet.ToOfaNotation(MobileNet.Largest());
        Assert.AreEqual(
            "{\"ks\":[" + string.Join(',', Enumerable.Repeat(7, 20)) + "],\"e\":[" + string.Join(',', Enumerable.Repeat(6, 20))
            + "],\"d\":[4,4,4,4,4]}",
            text);

        var resnet = ResNet.ToOfaNotation(ResNet.Smallest());
        Assert.AreEqual(
            "{\"d\":[0,0,0,0,0],\"e\":[" + string.Join(',', Enumerable.Repeat("0.2", 18)) + "],\"w\":[0,0,0,0,0,0]}",
            resnet);
    }

    [TestMethod]
    public void ReadsHandWrittenOfaConfig()
    {
        var json = "{\"ks\": [3,5,7,3, 5,5,5,5, 7,7,7,7, 3,3,3,3, 5,7,3,5], \"e\": [3,4,6,3, 4,4,4,4, 6,6,6,6, 3,3,3,3, 4,6,3,4],"
            + " \"d\": [2, 3, 4, 2, 4]}";
        var genome = MobileNet.ParseGenome(json);
        Assert.AreEqual(0, genome[0]);
        Assert.AreEqual(1, genome[1]);
        Assert.AreEqual(2, genome[2]);
        Assert.AreEqual(2, genome[20 + 2]);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 0, 2 }, genome.Choices.Skip(40).ToArray());

        var resnet = ResNet.ParseGenome(
            "{\"d\":[2,0,1,2,0],\"e\":[0.35,0.25,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2],\"w\":[2,1,0,0,1,2]}");
        Assert.AreEqual(2, resnet[0]);
        Assert.AreEqual(2, resnet[5]);
        Assert.AreEqual(1, resnet[6]);
        CollectionAssert.AreEqual(new[] { 2, 1, 0, 0, 1, 2 }, resnet.Choices.Skip(23).ToArray());
    }

    [TestMethod]
    public void InactiveGenesAreIgnoredByCanonicalizeAndEquality()
    {
        // Unit 0 at depth 2: blocks 2 and 3 of the unit have inactive ks and e genes.
        var genome = MobileNet.Smallest();
        Assert.IsFalse(MobileNet.IsActive(genome, 2));
        Assert.IsFalse(MobileNet.IsActive(genome, 20 + 3));
        Assert.IsTrue(MobileNet.IsActive(genome, 1));
        Assert.IsTrue(MobileNet.IsActive(genome, 40));
        var variant = genome.With(2, 2).With(23, 1);
        Assert.AreNotEqual(genome, variant);
        Assert.AreEqual(MobileNet.Canonicalize(genome), MobileNet.Canonicalize(variant));

        var deeper = variant.With(40, 2);
        Assert.IsTrue(MobileNet.IsActive(deeper, 2));
        Assert.AreNotEqual(MobileNet.Canonicalize(genome), MobileNet.Canonicalize(deeper));
        Assert.AreEqual(2, MobileNet.Canonicalize(deeper)[2]);

        // ResNet stage 0 holds 4 blocks; at extra depth 0 the last two expand genes are inactive.
        var resnet = ResNet.Smallest();
        Assert.IsTrue(ResNet.IsActive(resnet, 5 + 1));
        Assert.IsFalse(ResNet.IsActive(resnet, 5 + 2));
        var resnetVariant = resnet.With(5 + 2, 2).With(5 + 3, 1);
        Assert.AreEqual(ResNet.Canonicalize(resnet), ResNet.Canonicalize(resnetVariant));
        Assert.AreNotEqual(ResNet.Canonicalize(resnet), ResNet.Canonicalize(resnetVariant.With(1, 2)));
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void CanonicalGenomesDenoteTheSamePlan(IElasticFamily family)
    {
        var random = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var genome = family.Sample(random);
            var canonical = family.Canonicalize(genome);
            Assert.AreEqual(canonical, family.Canonicalize(canonical));
            var a = family.Plan(genome);
            var b = family.Plan(canonical);
            Assert.AreEqual(a.Parameters, b.Parameters);
            Assert.AreEqual(a.MultiplyAccumulates, b.MultiplyAccumulates);
            CollectionAssert.AreEqual(a.Ops.Select(o => o.Describe()).ToArray(), b.Ops.Select(o => o.Describe()).ToArray());
        }
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void ParsesKeywordsAndSeededRandom(IElasticFamily family)
    {
        Assert.AreEqual(family.Largest(), family.ParseGenome("largest"));
        Assert.AreEqual(family.Smallest(), family.ParseGenome(" SMALLEST "));
        Assert.AreEqual(family.ParseGenome("random:42"), family.ParseGenome("random:42"));
        Assert.AreEqual(family.Sample(new Random(42)), family.ParseGenome("random:42"));
        Assert.IsTrue(family.IsValid(family.ParseGenome("random")));
        Assert.AreEqual(family.Genes.Count, family.ParseGenome("random").Length);
    }

    [TestMethod]
    [DataRow("{\"ks\":[3],\"e\":[3],\"d\":[2]}", "array of 20")]
    [DataRow("{\"ks\":[9,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[2,2,2,2,2]}", "is not one of")]
    [DataRow("{\"ks\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3]}", "'d' is missing")]
    [DataRow("{\"ks\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[2,2,2,2,2],\"w\":[1]}", "unknown key 'w'")]
    [DataRow("{\"ks\":[3,3,3", "not valid JSON")]
    [DataRow("[1,2,3]", "not valid JSON")]
    [DataRow("{\"ks\":[\"3\",3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[2,2,2,2,2]}", "must be a number")]
    [DataRow("biggest", "expected OFA-notation JSON")]
    [DataRow("random:x", "is not an integer")]
    public void RejectsBadGenomeText(string text, string expected)
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => MobileNet.ParseGenome(text));
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        if (expected != "not valid JSON" || text.StartsWith('{'))
        {
            StringAssert.Contains(error.Message, expected);
        }
    }

    [TestMethod]
    public void MalformedJsonGenomeNamesTheCharacterInOneCleanSentence()
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => MobileNet.ParseGenome("{\"ks\": oops}"));

        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        StringAssert.Contains(error.Message, "not valid JSON at character 8: ");
        Assert.IsFalse(error.Message.Contains("BytePositionInLine", StringComparison.Ordinal), error.Message);
        Assert.IsFalse(error.Message.Contains("LineNumber", StringComparison.Ordinal), error.Message);
        StringAssert.EndsWith(error.Message, ".");
        Assert.IsFalse(error.Message.EndsWith("..", StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void ValidateRejectsWrongLengthAndRange()
    {
        var tooShort = new Genome([0, 1, 2]);
        var error = Assert.ThrowsExactly<HwNasException>(() => MobileNet.Validate(tooShort));
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        StringAssert.Contains(error.Message, "3 genes");
        Assert.IsFalse(MobileNet.IsValid(tooShort));

        var outOfRange = MobileNet.Smallest().With(44, 3);
        error = Assert.ThrowsExactly<HwNasException>(() => MobileNet.Plan(outOfRange));
        StringAssert.Contains(error.Message, "d.4");
        Assert.IsFalse(MobileNet.IsValid(outOfRange));
        Assert.IsTrue(MobileNet.IsValid(MobileNet.Largest()));
    }

    [TestMethod]
    public void SampleIsUniformEnoughToReachEveryChoice()
    {
        var random = new Random(3);
        var seen = new HashSet<(int Gene, int Choice)>();
        for (var i = 0; i < 200; i++)
        {
            var genome = ResNet.Sample(random);
            for (var g = 0; g < genome.Length; g++)
            {
                seen.Add((g, genome[g]));
            }
        }

        Assert.AreEqual(ResNet.Genes.Sum(g => g.Cardinality), seen.Count);
    }
}
