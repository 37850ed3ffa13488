using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Networks;
using HwAwareNas.Onnx.Proto;

namespace HwAwareNas.Onnx.Tests;

[TestClass]
public sealed class OnnxExporterTests
{
    private static readonly OnnxExportOptions Options = new(
        "test-family",
        """{"width":8}""",
        """{"ks":[3],"e":[4],"d":[2]}""",
        new OnnxPreprocessing(1.0 / 255, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25], [.. "abcdefghij".Select(c => c.ToString())]),
        new Dictionary<string, string> { ["accuracy"] = "0.91", ["latency_ms"] = "1.25" });

    private static readonly OnnxExportOptions GreyOptions = Options with
    {
        Preprocessing = new OnnxPreprocessing(1.0 / 255, [0.2860], [0.3530]),
    };

    private readonly List<string> folders = [];

    public TestContext TestContext { get; set; } = null!;

    [TestCleanup]
    public void DeleteModelFolders()
    {
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void EveryNodeTypeMatchesTorchReferenceAtBatchOneAndThree()
    {
        var random = new RandomSubnetGraphs(seed: 11);
        var graph = random.EveryNodeType();
        var path = TempModelPath();
        OnnxExporter.Export(graph, Options, path);

        OnnxChecker.Check(path);
        foreach (var batch in new[] { 1, 3 })
        {
            var worst = AssertMatchesReference(graph, path, random.Input(graph, batch), batch, classes: 10);
            TestContext.WriteLine($"batch {batch}: max |ONNX - Torch| = {worst:G3}");
        }
    }

    [TestMethod]
    public void SpatialFlattenIntoBiasFreeLinearMatchesTorchReference()
    {
        var random = new RandomSubnetGraphs(seed: 5);
        var graph = random.SpatialFlatten();
        var path = TempModelPath();
        OnnxExporter.Export(graph, GreyOptions, path);

        OnnxChecker.Check(path);
        foreach (var batch in new[] { 1, 3 })
        {
            var worst = AssertMatchesReference(graph, path, random.Input(graph, batch), batch, classes: 5);
            TestContext.WriteLine($"batch {batch}: max |ONNX - Torch| = {worst:G3}");
        }
    }

    [TestMethod]
    public void FoldsOnlyBatchNormsThatFollowAConvNothingElseReads()
    {
        var model = OnnxExporter.BuildModel(new RandomSubnetGraphs(seed: 1).EveryNodeType(), Options);
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();

        // post_bn follows an add and shared_bn follows a conv that shared_sum also reads: those two stay.
        Assert.AreEqual(2, ops.Count(o => o == "BatchNormalization"));
        CollectionAssert.AreEquivalent(
            new[] { "post_bn", "shared_bn" },
            model.Graph.Node.Where(n => n.OpType == "BatchNormalization").Select(n => n.Name).ToArray());
        Assert.AreEqual(6, ops.Count(o => o == "Conv"));
        Assert.IsTrue(model.Graph.Initializer.Any(i => i.Name == "stem.bias"), "a folded bias-free conv gains a bias");
        Assert.IsFalse(model.Graph.Initializer.Any(i => i.Name == "shared.bias"), "an unfolded bias-free conv stays bias-free");
        Assert.IsFalse(model.Graph.Initializer.Any(i => i.Name.StartsWith("stem_bn", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void InitializerBytesEqualFourTimesFoldedParameterCount()
    {
        var graph = new RandomSubnetGraphs(seed: 2).EveryNodeType();
        var model = OnnxExporter.BuildModel(graph, Options);
        var count = OnnxExporter.CountFoldedParameters(graph);

        Assert.AreEqual(4 * count, model.Graph.Initializer.Sum(i => (long)i.RawData.Length));
        Assert.IsTrue(model.Graph.Initializer.All(i => i.FloatData.Count == 0 && i.DataType == (int)TensorProto.Types.DataType.Float));

        // By hand: conv weights (+ out channels for a conv that has or gains a bias), unfolded BNs (4·C), linear.
        long expected =
            (8 * 3 * 9) + 8        // stem + folded bias
            + (8 * 25) + 8         // depthwise + folded bias
            + (4 * 8) + 4          // SE reduce
            + (8 * 4) + 8          // SE expand
            + (8 * 8) + 8          // pointwise (bias, BN folded in)
            + (4 * 8)              // post_bn
            + (12 * 4 * 9)         // shared conv, no bias
            + (4 * 12)             // shared_bn
            + (10 * 12) + 10;      // classifier
        Assert.AreEqual(expected, count);
    }

    [TestMethod]
    public void ModelDeclaresDynamicBatchOpsetAndMetadata()
    {
        var graph = new RandomSubnetGraphs(seed: 3).EveryNodeType();
        var path = TempModelPath();
        OnnxExporter.Export(graph, Options, path);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

        Assert.AreEqual(OnnxGraphBuilder.IrVersion, model.IrVersion);
        Assert.AreEqual(17L, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        Assert.AreEqual("HwAwareNas", model.ProducerName);
        Assert.IsFalse(string.IsNullOrEmpty(model.ProducerVersion));
        var input = model.Graph.Input.Single();
        Assert.AreEqual("input", input.Name);
        CollectionAssert.AreEqual(
            new[] { "N", "3", "13", "13" },
            input.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var output = model.Graph.Output.Single();
        Assert.AreEqual("logits", output.Name);
        Assert.AreEqual("N", output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.AreEqual(10L, output.Type.TensorType.Shape.Dim[1].DimValue);

        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual("test-family", metadata["family"]);
        Assert.AreEqual("""{"width":8}""", metadata["settings"]);
        Assert.AreEqual("""{"ks":[3],"e":[4],"d":[2]}""", metadata["genome"]);
        Assert.AreEqual("0.91", metadata["accuracy"]);
        Assert.AreEqual("1.25", metadata["latency_ms"]);
        using var preprocessing = JsonDocument.Parse(metadata["preprocessing"]);
        var root = preprocessing.RootElement;
        Assert.AreEqual("NCHW", root.GetProperty("layout").GetString());
        CollectionAssert.AreEqual(new[] { 3, 13, 13 }, root.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.AreEqual(1.0 / 255, root.GetProperty("scale").GetDouble(), 1e-15);
        Assert.AreEqual(0.25, root.GetProperty("std")[2].GetDouble());
        Assert.AreEqual("b", root.GetProperty("labels")[1].GetString());
        CollectionAssert.AreEqual(
            model.Graph.Node.Select(n => n.Name).Distinct().ToArray(),
            model.Graph.Node.Select(n => n.Name).ToArray(),
            "node names are unique");
    }

    [TestMethod]
    public void WrongWeightShapeThrowsAndWritesNoFile()
    {
        var random = new RandomSubnetGraphs(seed: 4);
        var graph = random.EveryNodeType();
        var nodes = graph.Nodes.ToList();
        var dw = (ConvNode)nodes[4];
        nodes[4] = dw with { Weight = new TensorData([8, 2, 5, 5], new float[8 * 2 * 25]) };
        var path = TempModelPath();

        var error = Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.Export(graph with { Nodes = nodes }, Options, path));

        StringAssert.Contains(error.Message, "dw");
        Assert.AreEqual(ExitCode.Failure, error.ExitCode);
        Assert.IsFalse(File.Exists(path));
        Assert.AreEqual(0, Directory.GetFiles(Path.GetDirectoryName(path)!).Length, "no temporary file is left behind");
    }

    [TestMethod]
    public void FailedExportLeavesEarlierModelUntouched()
    {
        var random = new RandomSubnetGraphs(seed: 6);
        var graph = random.SpatialFlatten();
        var path = TempModelPath();
        OnnxExporter.Export(graph, GreyOptions, path);
        var before = File.ReadAllBytes(path);
        var nodes = graph.Nodes.ToList();
        nodes[1] = ((BatchNormNode)nodes[1]) with { Gamma = new TensorData([5], new float[5]) };

        Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.Export(graph with { Nodes = nodes }, GreyOptions, path));

        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
        Assert.AreEqual(1, Directory.GetFiles(Path.GetDirectoryName(path)!).Length);
    }

    [TestMethod]
    public void InconsistentGraphsAreRejectedWithTheNodeNamed()
    {
        var random = new RandomSubnetGraphs(seed: 7);
        var graph = random.EveryNodeType();
        var nodes = graph.Nodes.ToList();
        var broken = new Dictionary<string, SubnetGraph>
        {
            ["classifier"] = graph with { Nodes = [.. nodes[..^1], random.Linear("classifier", "flat", 13, 10, bias: true)] },
            ["residual"] = graph with { Nodes = [.. nodes.Select(n => n.Name == "residual" ? new AddNode("residual", "pw_bn", "stem_act") : n)] },
            ["missing"] = graph with { Nodes = [.. nodes.Select(n => n.Name == "flat" ? new FlattenNode("flat", "missing") : n)] },
            ["logits"] = graph with { OutputName = "avg" },
            ["stem"] = graph with { Nodes = [.. nodes.Select(n => n is ConvNode { Name: "stem" } c ? c with { Weight = c.Weight with { Values = new float[5] } } : n)] },
        };

        foreach (var (name, candidate) in broken)
        {
            var error = Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.ToBytes(candidate, Options), name);
            StringAssert.Contains(error.Message, name == "logits" ? "avg" : name);
        }
    }

    [TestMethod]
    public void MetadataMistakesAreConfigErrors()
    {
        var graph = new RandomSubnetGraphs(seed: 8).EveryNodeType();

        var reserved = Options with { ExtraMetadata = new Dictionary<string, string> { ["genome"] = "x" } };
        Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.ToBytes(graph, reserved)).ExitCode);
        var badSettings = Options with { SettingsJson = "{width:" };
        Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.ToBytes(graph, badSettings)).ExitCode);
        Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.ToBytes(graph, GreyOptions)).ExitCode);
        var fewLabels = Options with { Preprocessing = Options.Preprocessing with { ClassLabels = ["a", "b"] } };
        Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => OnnxExporter.ToBytes(graph, fewLabels)).ExitCode);
    }

    [TestMethod]
    public void CheckerRejectsAModelWithoutOpsetImport()
    {
        var model = OnnxExporter.BuildModel(new RandomSubnetGraphs(seed: 9).SpatialFlatten(), GreyOptions);
        model.OpsetImport.Clear();
        var path = TempModelPath();
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));

        Assert.ThrowsExactly<AssertFailedException>(() => OnnxChecker.Check(path));
    }

    [TestMethod]
    public void BuilderRejectsDuplicateNames()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("input", [1, 2, 2]);
        builder.AddInitializer("w", [1], [1f]);

        Assert.ThrowsExactly<HwNasException>(() => builder.AddInitializer("w", [1], [2f]));
        Assert.ThrowsExactly<HwNasException>(() => builder.AddNode("Relu", "r", ["input"], "input"));
        builder.AddNode("Relu", "r", ["input"], "y");
        Assert.ThrowsExactly<HwNasException>(() => builder.AddNode("Relu", "r", ["y"], "z"));
        Assert.ThrowsExactly<HwNasException>(() => builder.AddNode("Relu", "r2", ["undefined"], "z"));
        Assert.ThrowsExactly<HwNasException>(() => builder.AddInitializer("v", [2, 2], [1f, 2f, 3f]));
    }

    /// <summary>Runs both and compares; returns the largest absolute difference.</summary>
    internal static double AssertMatchesReference(SubnetGraph graph, string modelPath, float[] input, int batch, int classes)
    {
        var expected = ReferenceInterpreter.Forward(graph, input, batch);
        var (actual, shape) = OrtRunner.Run(modelPath, input, [batch, .. graph.InputShape.Select(d => (long)d)]);

        CollectionAssert.AreEqual(new long[] { batch, classes }, shape);
        return AssertClose(expected, actual);
    }

    /// <summary>Asserts |expected − actual| ≤ 1e-4 · max(1, |expected|) everywhere; returns the largest difference.</summary>
    internal static double AssertClose(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-4 * Math.Max(1.0, Math.Abs(expected[i]));
            var diff = Math.Abs(expected[i] - actual[i]);
            Assert.IsTrue(diff <= tolerance, $"logit {i}: ONNX {actual[i]} vs Torch {expected[i]} (diff {diff:G3} > {tolerance:G3})");
            worst = Math.Max(worst, diff);
        }

        Assert.IsTrue(expected.Any(v => Math.Abs(v) > 1e-3), "the reference logits are not all (near) zero");
        return worst;
    }

    private string TempModelPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hwnas-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        folders.Add(folder);
        return Path.Combine(folder, "model.onnx");
    }
}
