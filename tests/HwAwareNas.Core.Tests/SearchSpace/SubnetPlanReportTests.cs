using System.Text.Json;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

[TestClass]
public sealed class SubnetPlanReportTests
{
    [TestMethod]
    [DataRow("mobilenetv3")]
    [DataRow("resnet")]
    public void JsonHoldsCountsGenomeAndLayers(string name)
    {
        var family = FamilyRegistry.Create(name, new FamilyOptions(new FeatureShape(1, 28, 28), 10));
        var genome = family.Sample(new Random(8));
        var plan = family.Plan(genome);

        using var json = JsonDocument.Parse(SubnetPlanReport.ToJson(family, genome));
        var root = json.RootElement;
        Assert.AreEqual(name, root.GetProperty("family").GetString());
        Assert.AreEqual(plan.Parameters, root.GetProperty("params").GetInt64());
        Assert.AreEqual(plan.MultiplyAccumulates, root.GetProperty("macs").GetInt64());
        Assert.AreEqual(10, root.GetProperty("classes").GetInt32());
        Assert.AreEqual(genome, family.FromOfaNotation(root.GetProperty("genome").GetRawText()));
        var layers = root.GetProperty("layers");
        Assert.AreEqual(plan.Ops.Count, layers.GetArrayLength());
        Assert.AreEqual("conv", layers[0].GetProperty("op").GetString());
        Assert.AreEqual(plan.Parameters, layers.EnumerateArray().Sum(l => l.GetProperty("params").GetInt64()));
        Assert.AreEqual("linear", layers[layers.GetArrayLength() - 1].GetProperty("op").GetString());
    }

    [TestMethod]
    public void TextListsEveryOperationAndTheTotals()
    {
        var family = FamilyRegistry.Create("mobilenetv3");
        var text = SubnetPlanReport.ToText(family, family.Largest());
        StringAssert.Contains(text, "params: 7,664,760");
        StringAssert.Contains(text, "conv 3->16 k3 s2 p1");
        StringAssert.Contains(text, "conv 960->1280 k1 s1 p0");
        Assert.AreEqual(family.Plan(family.Largest()).Ops.Count + 6, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
