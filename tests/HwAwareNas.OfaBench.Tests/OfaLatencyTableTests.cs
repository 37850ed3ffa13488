using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.OfaBench.Tests;

[TestClass]
public sealed class OfaLatencyTableTests
{
    private static readonly IElasticFamily Family = OfaSearchLogsTests.Family;

    [TestMethod]
    public void The_largest_subnetwork_has_a_stem_a_first_block_twenty_blocks_and_four_head_layers()
    {
        var layers = PlanLayer.Of(Family.Plan(Family.Largest()));

        Assert.HasCount(26, layers);
        Assert.AreEqual("first_conv", layers[0].Block);
        Assert.AreEqual(new FeatureShape(3, 224, 224), layers[0].Input);
        Assert.AreEqual("classifier", layers[^1].Block);
    }

    [TestMethod]
    public void Blocks_of_the_same_shape_and_choices_share_a_key_and_the_space_has_few_distinct_layers()
    {
        var random = new Random(5);
        var keys = Enumerable.Range(0, 400).SelectMany(_ => PlanLayer.Of(Family.Plan(Family.Sample(random)))).Select(l => l.Key).ToHashSet();

        // Per unit: 9 (kernel, expand) choices for its first block (stride, new width) and 9 for the rest; plus 6 fixed layers (stem, first block, final expand, pooling, feature mix, classifier).
        Assert.AreEqual((5 * 18) + 6, keys.Count);
    }

    [TestMethod]
    public void A_sub_network_latency_is_its_scaled_layers_sum_plus_the_overhead_and_survives_the_csv()
    {
        var plan = Family.Plan(Family.Smallest());
        var layers = PlanLayer.Of(plan);
        var table = new OfaLatencyTable(layers.DistinctBy(l => l.Key).Select((l, i) => (l.Key, Ms: 0.25 * (i + 1))).ToDictionary(p => p.Key, p => p.Ms), 0.5, [("cpu", "test, 2 cores")], scale: 1.5);

        var read = OfaLatencyTable.Parse(table.ToCsv(), "table.csv");

        Assert.AreEqual(0.5 + (1.5 * layers.Sum(l => table.Layers[l.Key])), table.LatencyOf(plan), 1e-12);
        Assert.AreEqual(table.LatencyOf(plan), read.LatencyOf(plan), 1e-12);
        Assert.AreEqual(("cpu", "test, 2 cores"), read.Facts.Single());
        Assert.Throws<KeyNotFoundException>(() => read.LatencyOf(Family.Plan(Family.Largest())));
    }

    [TestMethod]
    public void A_layer_graph_reads_the_graph_input_where_the_block_reads_the_previous_block()
    {
        var plan = Family.Plan(Family.Largest());
        var whole = new HwAwareNas.Core.Networks.SubnetGraph(
            SubnetPlan.InputName, [3, 224, 224], [.. plan.Ops.Select(Stand_in)], plan.OutputName);
        var block = PlanLayer.Of(plan).Single(l => l.Block == "blocks.3");

        var graph = block.GraphFrom(whole);

        Assert.HasCount(block.OpNames.Count, graph.Nodes);
        Assert.AreEqual(block.OpNames[^1], graph.OutputName);
        var reads = graph.Nodes.SelectMany(n => n.Inputs).Where(i => !block.OpNames.Contains(i)).Distinct().ToList();
        CollectionAssert.AreEqual(new[] { SubnetPlan.InputName }, reads);
        Assert.IsInstanceOfType<HwAwareNas.Core.Networks.AddNode>(graph.Nodes[^1], "blocks.3 keeps its residual sum");
    }

    // The cut only looks at names and inputs: every operation as a weightless node of the same arity will do.
    private static HwAwareNas.Core.Networks.SubnetNode Stand_in(PlanOp op) => op.Inputs.Count == 2
        ? new HwAwareNas.Core.Networks.AddNode(op.Name, op.Inputs[0], op.Inputs[1])
        : new HwAwareNas.Core.Networks.ActivationNode(op.Name, op.Inputs[0], HwAwareNas.Core.Networks.ActivationKind.Relu);
}
