using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

[TestClass]
public sealed class PhaseSamplerTests
{
    private static readonly IElasticFamily MobileNet = FamilyRegistry.Create("mobilenetv3");
    private static readonly IElasticFamily ResNet = FamilyRegistry.Create("resnet");
    private static readonly IElasticFamily Transformer = FamilyRegistry.Create("transformer");

    public static IEnumerable<object[]> PhasesAndTheirGroups =>
    [
        ["mobilenetv3", ShrinkingPhase.Largest, ""],
        ["mobilenetv3", ShrinkingPhase.Kernel, "ks"],
        ["mobilenetv3", ShrinkingPhase.Depth, "d,ks"],
        ["mobilenetv3", ShrinkingPhase.Expand, "d,e,ks"],
        ["resnet", ShrinkingPhase.Largest, ""],
        ["resnet", ShrinkingPhase.Depth, "d"],
        ["resnet", ShrinkingPhase.Expand, "d,e,w"],
        ["transformer", ShrinkingPhase.Largest, ""],
        ["transformer", ShrinkingPhase.Depth, "d"],
        ["transformer", ShrinkingPhase.Expand, "d,h,r,w"],
    ];

    [TestMethod]
    [DynamicData(nameof(PhasesAndTheirGroups))]
    public void APhaseVariesOnlyTheGenesReleasedSoFar(string familyName, ShrinkingPhase phase, string groups)
    {
        var family = familyName switch { "resnet" => ResNet, "transformer" => Transformer, _ => MobileNet };
        var sampler = new PhaseSampler(family, phase);
        var random = new Random(3);
        var draws = Enumerable.Range(0, 200).Select(_ => sampler.Sample(random)).Append(sampler.Smallest()).ToList();

        var varied = family.Genes
            .Where((_, i) => draws.Select(d => d[i]).Distinct().Count() > 1)
            .Select(g => g.Group).Distinct().Order().ToList();
        var heldAtLargest = family.Genes.Select((g, i) => (g, i))
            .Where(x => !sampler.IsReleased(x.i))
            .All(x => draws.All(d => d[x.i] == x.g.Cardinality - 1));

        Assert.AreEqual(groups, string.Join(',', varied));
        Assert.IsTrue(heldAtLargest, "genes not released stay at their largest value");
    }

    [TestMethod]
    public void SmallestOfAPhaseShrinksOnlyItsReleasedGenes()
    {
        var depth = new PhaseSampler(MobileNet, ShrinkingPhase.Depth).Smallest();

        for (var i = 0; i < MobileNet.Genes.Count; i++)
        {
            var gene = MobileNet.Genes[i];
            Assert.AreEqual(gene.Group is "ks" or "d" ? 0 : gene.Cardinality - 1, depth[i], gene.Name);
        }

        Assert.AreEqual(MobileNet.Largest(), new PhaseSampler(MobileNet, ShrinkingPhase.Largest).Smallest());
        Assert.AreEqual(ResNet.Smallest(), new PhaseSampler(ResNet, ShrinkingPhase.Expand).Smallest());
    }

    [TestMethod]
    public void TheLastPhaseDrawsWhatTheSandwichRuleDraws()
    {
        var sampler = new PhaseSampler(ResNet, ShrinkingPhase.Expand);
        var (a, b) = (new Random(11), new Random(11));

        for (var n = 0; n < 20; n++)
        {
            Assert.AreEqual(ResNet.Sample(a), sampler.Sample(b));
        }
    }

    [TestMethod]
    public void PhasesFollowTheGenesAFamilyHas()
    {
        var fixedKernel = FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("width=0.25,ks=3,e=2/4,d=1/2")));

        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Kernel, ShrinkingPhase.Depth, ShrinkingPhase.Expand }, PhaseSampler.PhasesOf(MobileNet).ToArray());
        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Depth, ShrinkingPhase.Expand }, PhaseSampler.PhasesOf(ResNet).ToArray(), "ResNet has no kernel genes");
        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Depth, ShrinkingPhase.Expand }, PhaseSampler.PhasesOf(Transformer).ToArray(), "a Transformer has no kernel genes");
        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Depth, ShrinkingPhase.Expand }, PhaseSampler.PhasesOf(fixedKernel).ToArray(), "one kernel size is no elastic dimension");
    }
}
