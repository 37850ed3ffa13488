using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Import;
using HwAwareNas.Torch.Training;
using static TorchSharp.torch;

namespace HwAwareNas.Onnx.Tests;

/// <summary>
/// Parity of imported OFA checkpoints: state dicts in OFA's layout with logits that PyTorch computed for 10
/// sub-networks (tests/fixtures/ofa/make_fixtures.py, committed output) are imported, and both our TorchSharp forward
/// and our exported ONNX model (in ONNX Runtime) reproduce those logits within 1e-4. Also the import's errors.
/// </summary>
[TestClass]
public sealed class OfaImportParityTests
{
    private const double Tolerance = 1e-4;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("mobilenetv3")]
    [DataRow("resnet")]
    public void ImportedSubnetworksMatchPyTorchInTorchSharpAndOnnxRuntime(string name)
    {
        var fixture = Fixture.Load(name);
        var stateDict = OfaStateDict.Read(fixture.WeightsPath);
        var kernelTransforms = stateDict.Keys.Any(k => k.EndsWith("_matrix", StringComparison.Ordinal));
        Assert.AreEqual(name == "mobilenetv3", kernelTransforms, "only the MobileNetV3 fixture has kernel transforms");
        using var supernet = new ElasticSupernet(fixture.Family, kernelTransforms);
        OfaStateDict.LoadInto(supernet, stateDict, fixture.WeightsPath);
        supernet.eval();

        var folder = Directory.CreateTempSubdirectory("hwnas-ofa-parity-").FullName;
        using var image = tensor(fixture.Image, [1, .. fixture.Input]);
        double worstTorch = 0, worstOnnx = 0;
        var kernels = new HashSet<double>();
        foreach (var (genome, expected) in fixture.Subnets)
        {
            supernet.SetActive(genome);
            float[] actual;
            using (no_grad())
            using (var output = supernet.forward(image))
            {
                actual = output.data<float>().ToArray();
            }

            var path = Path.Combine(folder, "subnet.onnx");
            OnnxExporter.Export(supernet.ExtractActive(), OnnxExportOptions.ForFamily(fixture.Family, genome, Identity((int)fixture.Input[0])), path);
            var (onnx, _) = OrtRunner.Run(path, fixture.Image, [1, .. fixture.Input]);
            worstTorch = Math.Max(worstTorch, MaxDifference(expected, actual));
            worstOnnx = Math.Max(worstOnnx, MaxDifference(expected, onnx));
            if (fixture.Family is MobileNetV3Family mobile)
            {
                kernels.UnionWith(Enumerable.Range(0, mobile.Genes.Count).Where(i => mobile.Genes[i].Group == "ks").Select(i => mobile.ValueOf(genome, i)));
            }
        }

        Directory.Delete(folder, recursive: true);
        TestContext.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {fixture.Subnets.Count} sub-networks, max |TorchSharp - PyTorch| {worstTorch:E2}, max |ONNX Runtime - PyTorch| {worstOnnx:E2}"));
        Assert.IsLessThanOrEqualTo(Tolerance, worstTorch, "TorchSharp forward vs PyTorch");
        Assert.IsLessThanOrEqualTo(Tolerance, worstOnnx, "exported ONNX vs PyTorch");
        if (name == "mobilenetv3")
        {
            Assert.IsTrue(kernels.SetEquals([3.0, 5.0, 7.0]), "the sub-networks exercise every kernel transform");
        }
    }

    [TestMethod]
    public void AnImportedCheckpointLoadsBackWithItsKernelTransforms()
    {
        var fixture = Fixture.Load("mobilenetv3");
        using var imported = new ElasticSupernet(fixture.Family, kernelTransforms: true);
        OfaStateDict.LoadInto(imported, OfaStateDict.Read(fixture.WeightsPath), fixture.WeightsPath);
        var folder = Directory.CreateTempSubdirectory("hwnas-ofa-import-").FullName;
        var path = Path.Combine(folder, "supernet.ckpt");
        File.WriteAllText(SupernetCheckpoint.ResumePathFor(path), "stale");
        var record = new TrainingRecord
        {
            Family = fixture.Family.Family,
            Settings = fixture.Family.SettingsText,
            Input = [.. fixture.Input.Select(d => (int)d)],
            Classes = fixture.Family.Classes,
            ClassNames = [.. Enumerable.Range(0, fixture.Family.Classes).Select(i => i.ToString(CultureInfo.InvariantCulture))],
            Mean = [0.5, 0.5, 0.5],
            Std = [0.25, 0.25, 0.25],
            DatasetKey = "imported",
            Recipe = new TrainingOptions { Epochs = 0 },
            KernelTransforms = true,
        };
        SupernetCheckpoint.WriteWithoutResume(path, imported, record);
        Assert.IsFalse(File.Exists(SupernetCheckpoint.ResumePathFor(path)), "a stale resume file is removed");

        var stored = TrainingRecord.Read(path);
        Assert.IsTrue(stored.KernelTransforms);
        using var restored = new ElasticSupernet(fixture.Family, stored.KernelTransforms);
        SupernetCheckpoint.LoadWeights(path, restored);
        using var plain = new ElasticSupernet(fixture.Family);
        Assert.ThrowsExactly<InvalidOperationException>(() => SupernetCheckpoint.LoadWeights(path, plain));
        Directory.Delete(folder, recursive: true);

        var (genome, expected) = fixture.Subnets[^1];
        restored.eval();
        restored.SetActive(genome);
        using var image = tensor(fixture.Image, [1, .. fixture.Input]);
        using (no_grad())
        using (var output = restored.forward(image))
        {
            Assert.IsLessThanOrEqualTo(Tolerance, MaxDifference(expected, output.data<float>().ToArray()));
        }
    }

    [TestMethod]
    public void AMissingKeyIsNamedWithItsExpectedShape()
    {
        var fixture = Fixture.Load("mobilenetv3");
        var stateDict = OfaStateDict.Read(fixture.WeightsPath);
        stateDict.Remove("blocks.3.conv.depth_conv.conv.7to5_matrix");
        var error = ImportError(fixture, stateDict);
        StringAssert.Contains(error.Message, "missing key 'blocks.3.conv.depth_conv.conv.7to5_matrix' (expected [25,25])");
        StringAssert.Contains(error.Message, "1 problem(s)");
    }

    [TestMethod]
    public void AMisshapenKeyIsNamedWithExpectedAndFoundShapes()
    {
        var fixture = Fixture.Load("mobilenetv3");
        var stateDict = OfaStateDict.Read(fixture.WeightsPath);
        stateDict["first_conv.conv.weight"] = zeros(16, 3, 3, 3);
        var error = ImportError(fixture, stateDict);
        StringAssert.Contains(error.Message, "key 'first_conv.conv.weight' expected [8,3,3,3], found [16,3,3,3]");
        StringAssert.Contains(error.Message, "looks like an OFA MobileNetV3: widths 16/8/8/8/16/16/16/32/48");
    }

    [TestMethod]
    public void ACheckpointOfAnotherArchitectureSaysWhatItLooksLike()
    {
        var mobile = Fixture.Load("mobilenetv3");
        var resnet = Fixture.Load("resnet");
        var error = ImportError(mobile, OfaStateDict.Read(resnet.WeightsPath));
        StringAssert.Contains(error.Message, "looks like an OFA ResNet: stem width 24, stage widths 16/24/32/48, 8 blocks, 10 classes");
        StringAssert.Contains(error.Message, "missing key 'first_conv.conv.weight' (expected [8,3,3,3])");

        error = ImportError(resnet, OfaStateDict.Read(mobile.WeightsPath));
        StringAssert.Contains(error.Message, "looks like an OFA MobileNetV3: widths 8/8/8/8/16/16/16/32/48, 2 blocks per unit, kernels up to 7, 10 classes");
    }

    [TestMethod]
    public void AFileThatIsNoPyTorchCheckpointIsCorruptInput()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not a checkpoint");
        var error = Assert.ThrowsExactly<HwNasException>(() => OfaStateDict.Read(path));
        File.Delete(path);
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "is not a PyTorch checkpoint");

        var absent = Assert.ThrowsExactly<HwNasException>(() => OfaStateDict.Read(path));
        Assert.AreEqual(ExitCode.MissingInput, absent.ExitCode);
    }

    // The committed fixtures are what the committed script writes (where Debian's python3-torch is installed).
    [TestMethod]
    public void TheFixtureScriptReproducesTheCommittedFixtures()
    {
        const string python = "/usr/bin/python3";
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ofa");
        if (!File.Exists(python) || RunPython(python, "-c \"import torch\"") != 0)
        {
            Assert.Inconclusive("Debian's python3-torch is not installed (apt-get install python3-torch).");
        }

        var output = Directory.CreateTempSubdirectory("hwnas-ofa-fixtures-").FullName;
        Assert.AreEqual(0, RunPython(python, $"\"{Path.Combine(folder, "make_fixtures.py")}\" \"{output}\""), "make_fixtures.py failed");
        foreach (var name in new[] { "mobilenetv3", "resnet" })
        {
            using var committed = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")));
            using var regenerated = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, name + ".json")));
            Assert.AreEqual(committed.RootElement.GetRawText(), regenerated.RootElement.GetRawText(), $"{name}.json differs from the script's output");
        }

        Directory.Delete(output, recursive: true);
    }

    private static int RunPython(string python, string arguments)
    {
        using var process = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static HwNasException ImportError(Fixture fixture, Dictionary<string, Tensor> stateDict)
    {
        using var supernet = new ElasticSupernet(fixture.Family, fixture.Family is MobileNetV3Family);
        var error = Assert.ThrowsExactly<HwNasException>(() => OfaStateDict.LoadInto(supernet, stateDict, "test.pth"));
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        return error;
    }

    private static OnnxPreprocessing Identity(int channels) =>
        new(1, [.. Enumerable.Repeat(0.0, channels)], [.. Enumerable.Repeat(1.0, channels)]);

    private static double MaxDifference(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }

    /// <summary>One committed fixture: weights in OFA's layout, the family they fit, an image and PyTorch's logits.</summary>
    private sealed record Fixture(
        string WeightsPath, IElasticFamily Family, long[] Input, float[] Image, IReadOnlyList<(Genome Genome, float[] Logits)> Subnets)
    {
        public static Fixture Load(string name)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ofa");
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")));
            var root = json.RootElement;
            var input = root.GetProperty("input").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            var family = FamilyRegistry.Create(
                root.GetProperty("family").GetString()!,
                new FamilyOptions(
                    new FeatureShape((int)input[0], (int)input[1], (int)input[2]),
                    root.GetProperty("classes").GetInt32(),
                    FamilySettingsReader.Split(root.GetProperty("settings").GetString())));
            var subnets = root.GetProperty("subnets").EnumerateArray()
                .Select(s => (family.FromOfaNotation(s.GetProperty("genome").GetRawText()), Floats(s.GetProperty("logits"))))
                .ToList();
            return new Fixture(Path.Combine(folder, name + ".pth"), family, input, Floats(root.GetProperty("image")), subnets);
        }

        private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => (float)v.GetDouble())];
    }
}
