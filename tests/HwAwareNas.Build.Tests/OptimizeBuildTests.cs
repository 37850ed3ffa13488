using System.Globalization;

namespace HwAwareNas.Build.Tests;

/// <summary>
/// A real <c>dotnet build</c>/<c>publish</c> of a fresh project that references the packed task and runs the tool
/// built beside these tests on a tiny search over a super-network trained for a few seconds.
/// </summary>
[TestClass]
public sealed class OptimizeBuildTests
{
    private static readonly Lazy<string> Checkpoint = new(TrainTinySupernet, LazyThreadSafetyMode.ExecutionAndPublication);

    [ClassCleanup]
    public static void CleanUp()
    {
        if (Checkpoint.IsValueCreated)
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(Checkpoint.Value))!, recursive: true);
        }
    }

    [TestMethod]
    public void BuildWritesModelSkipsUnchangedSearchPublishesModelAndKeepsDevicesApart()
    {
        var folder = PackagedBuild.CreateConsumer(TinyConfig(Checkpoint.Value));
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "devices"));
            File.WriteAllText(Path.Combine(folder, "devices", "other.yaml"), Device("other-cpu", threads: 2));

            AssertBuildSkipPublishAndDeviceSequence(folder, PackagedBuild.ToolDll);

            // The real tool's outputs, not only their names.
            var output = Path.Combine(folder, "bin", "Debug", "net10.0", "hwnas");
            foreach (var file in new[] { "report.md", "results.json", "pareto.csv", "inference_settings.json" })
            {
                Assert.IsTrue(File.Exists(Path.Combine(output, file)), file);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void BuildForADeviceListWritesAModelPerDeviceAndASummaryAndSkipsTheUnchangedSearch()
    {
        var folder = PackagedBuild.CreateConsumer(TinyConfig(Checkpoint.Value));
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "devices"));
            File.WriteAllText(Path.Combine(folder, "devices", "alpha.yaml"), Device("alpha-cpu", threads: 1));
            File.WriteAllText(Path.Combine(folder, "devices", "beta.yaml"), Device("beta-cpu", threads: 2));
            var toolPath = "-p:HwNasToolPath=" + PackagedBuild.ToolDll;
            var output = Path.Combine(folder, "bin", "Debug", "net10.0", "hwnas");

            // %3B is MSBuild's escaped semicolon: on the command line a bare one would start another property.
            var first = Build(folder, "build", toolPath, "-p:HwNasDevices=alpha%3Bbeta");
            var second = Build(folder, "build", toolPath, "-p:HwNasDevices=alpha%3Bbeta");

            Assert.AreEqual(0, first.ExitCode, first.Output);
            StringAssert.Contains(first.Output, "--devices \"alpha,beta\"");
            foreach (var device in new[] { "alpha", "beta" })
            {
                Assert.IsTrue(File.Exists(Path.Combine(output, device, "model.onnx")), first.Output);
                Assert.IsTrue(File.Exists(Path.Combine(output, device, "report.md")), first.Output);
            }

            StringAssert.Contains(File.ReadAllText(Path.Combine(output, "summary.md")), "| beta | ");
            Assert.AreEqual(0, second.ExitCode, second.Output);
            StringAssert.Contains(second.Output, "Skipping target \"_HwNasRunOptimize\"", "an unchanged device list is not searched again");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory("agents")]
    public async Task PublishForARemoteDeviceMeasuresOnItsAgent()
    {
        // The device is a real agent process of kind pi4, reached by its address (its own cluster), over mutual TLS.
        await using var fleet = await HwAwareNas.TestSupport.AgentFleet.StartAsync(withRedis: false);
        var agent = await fleet.StartAgentAsync("pi4", "pi4-bench");
        var folder = PackagedBuild.CreateConsumer(TinyConfig(Checkpoint.Value));
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "devices"));
            File.WriteAllText(Path.Combine(folder, "devices", "pi4.yaml"), Device("pi4", threads: 1) + "\n" + fleet.RemoteYaml("pi4", agent.Gateway));
            var published = Path.Combine(folder, "published");

            var publish = Build(folder, "publish", "-p:HwNasToolPath=" + PackagedBuild.ToolDll, "-p:HwNasDevice=pi4", "-c", "Debug", "-o", published);

            Assert.AreEqual(0, publish.ExitCode, publish.Output);
            StringAssert.Contains(publish.Output, "--device pi4");
            Assert.IsTrue(File.Exists(Path.Combine(published, "hwnas", "pi4", "model.onnx")), publish.Output);
            var report = File.ReadAllText(Path.Combine(folder, "bin", "Debug", "net10.0", "hwnas", "pi4", "report.md"));
            StringAssert.Contains(report, "| kind | pi4 |");
            StringAssert.Contains(report, "| measured\\_by | pi4-bench |");
            StringAssert.Contains(agent.Log, "Measured", "the agent, not the build machine, measured");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Builds (the search runs and writes model and report), builds again (the search is skipped), publishes (the
    /// model goes along) and builds for devices/other.yaml (its own folder; the first model untouched).
    /// </summary>
    internal static void AssertBuildSkipPublishAndDeviceSequence(string folder, string tool)
    {
        var toolPath = "-p:HwNasToolPath=" + tool;
        var output = Path.Combine(folder, "bin", "Debug", "net10.0", "hwnas");

        var first = Build(folder, "build", toolPath);
        Assert.AreEqual(0, first.ExitCode, first.Output);
        StringAssert.Contains(first.Output, "--log-format msbuild", "the first build runs the search");
        var model = Path.Combine(output, "model.onnx");
        Assert.IsTrue(File.Exists(model), first.Output);
        Assert.IsTrue(File.Exists(Path.Combine(output, "report.html")), first.Output);
        var modelWritten = File.GetLastWriteTimeUtc(model);

        var second = Build(folder, "build", toolPath);
        Assert.AreEqual(0, second.ExitCode, second.Output);
        Assert.DoesNotContain("--log-format msbuild", second.Output, "an unchanged project must not search again");
        StringAssert.Contains(second.Output, "Skipping target \"_HwNasRunOptimize\"");

        var published = Path.Combine(folder, "published");
        var publish = Build(folder, "publish", toolPath, "-c", "Debug", "-o", published);
        Assert.AreEqual(0, publish.ExitCode, publish.Output);
        Assert.IsTrue(File.Exists(Path.Combine(published, "hwnas", "model.onnx")), publish.Output);
        Assert.IsTrue(File.Exists(Path.Combine(published, "hwnas", "report.html")), publish.Output);

        var other = Build(folder, "build", toolPath, "-p:HwNasDevice=other");
        Assert.AreEqual(0, other.ExitCode, other.Output);
        StringAssert.Contains(other.Output, "--device other");
        Assert.IsTrue(File.Exists(Path.Combine(output, "other", "model.onnx")), other.Output);
        Assert.AreEqual(modelWritten, File.GetLastWriteTimeUtc(model), "building for another device must leave the first model alone");
    }

    private static (int ExitCode, string Output) Build(string folder, string verb, params string[] arguments) =>
        PackagedBuild.Dotnet(folder, [verb, "-v:n", "--disable-build-servers", "-nodeReuse:false", .. arguments]);

    private static string TinyConfig(string checkpoint) => $"""
        supernet:
          family: mobilenetv3
          checkpoint: {checkpoint}
          input: [1, 28, 28]
          classes: 10
          settings:
            preset: small
            width: 0.5
        {HwAwareNas.TestSupport.TestConfigs.FashionMnistDataset(64, 200)}
        device:
        {Indent(Device("tiny-cpu", threads: 1))}
        search:
          strategy: random
          population: 4
          iterations: 1
          validations: 4
          warm_start: none
          seed: 1
        """;

    private static string Device(string name, int threads) => $"""
        name: {name}
        threads: {threads.ToString(CultureInfo.InvariantCulture)}
        measure:
          warmup: 2
          runs: 10
          reference_models: 1
        """;

    private static string Indent(string block) => string.Join("\n", block.Split('\n').Select(line => "  " + line));

    private static string TrainTinySupernet()
    {
        // The checkpoint only has to load and give a search something to rank: one short epoch on a few images.
        var folder = Directory.CreateTempSubdirectory("hwnas-supernet-").FullName;
        var checkpoint = Path.Combine(folder, "models", "supernet.ckpt");
        File.WriteAllText(Path.Combine(folder, "hwnas.yaml"), TinyConfig(checkpoint));
        var (exitCode, output) = PackagedBuild.Dotnet(
            folder, PackagedBuild.ToolDll, "train", "-c", "hwnas.yaml", "--epochs", "1", "--train-images", "32", "--epoch-val-images", "32", "--batch", "32", "--random-subnets", "0", "--threads", "2");
        Assert.AreEqual(0, exitCode, output);
        Assert.IsTrue(File.Exists(checkpoint), output);
        return checkpoint;
    }
}
