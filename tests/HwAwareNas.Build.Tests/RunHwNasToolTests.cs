using Microsoft.Build.Framework;

namespace HwAwareNas.Build.Tests;

/// <summary>
/// Runs <see cref="RunHwNasTool"/> against a stand-in <c>hwnas</c> script, so the real process plumbing (command
/// line, streamed output, exit codes) is exercised without a search.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunHwNasToolTests
{
    private string _folder = string.Empty;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("hwnas-tooltask-").FullName;
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void PassesOptimizeWithConfigOutputDeviceAndLogFormat()
    {
        var (task, engine) = Create("echo \"args: $*\"\necho \"cwd: $(pwd)\"\n", device: "rpi4");

        Assert.IsTrue(task.Execute());

        var config = Path.Combine(_folder, "hwnas.yaml");
        var output = Path.Combine(_folder, "out");
        CollectionAssert.Contains(MessageTexts(engine), $"args: optimize {config} --output {output} --device rpi4 --log-format msbuild");
        CollectionAssert.Contains(MessageTexts(engine), $"cwd: {_folder}");
    }

    [TestMethod]
    public void PassesTheBudgetsOnlyWhenSet()
    {
        var (task, engine) = Create("echo \"args: $*\"\n");
        task.MaxTime = "10m";
        task.Validations = "40";
        task.StopWhenMet = true;

        Assert.IsTrue(task.Execute());

        var line = MessageTexts(engine).Single(m => m.StartsWith("args: ", StringComparison.Ordinal));
        StringAssert.EndsWith(line, "--max-time 10m --validations 40 --stop-when-met --log-format msbuild");

        var (plain, plainEngine) = Create("echo \"args: $*\"\n");
        Assert.IsTrue(plain.Execute());
        var plainLine = MessageTexts(plainEngine).Single(m => m.StartsWith("args: ", StringComparison.Ordinal));
        Assert.DoesNotContain("--max-time", plainLine);
        Assert.DoesNotContain("--validations", plainLine);
        Assert.DoesNotContain("--stop-when-met", plainLine);
    }

    [TestMethod]
    public void LeavesOutDeviceWhenNoneIsNamed()
    {
        var (task, engine) = Create("echo \"args: $*\"\n");

        Assert.IsTrue(task.Execute());

        var line = MessageTexts(engine).Single(m => m.StartsWith("args: ", StringComparison.Ordinal));
        Assert.DoesNotContain("--device", line);
    }

    [TestMethod]
    public void StreamsProgressLinesAsNormalImportanceMessages()
    {
        var (task, engine) = Create("echo 'hwnas: search 3/5 generations'\n");

        Assert.IsTrue(task.Execute());

        var progress = engine.Messages.Single(m => m.Message == "hwnas: search 3/5 generations");
        Assert.AreEqual(MessageImportance.Normal, progress.Importance);
        Assert.IsEmpty(engine.Errors);
    }

    [TestMethod]
    public void CanonicalErrorLinesBecomeLocatedErrors()
    {
        var (task, engine) = Create("echo '/data/hwnas.yaml(7,3): error HWNAS1003: unknown key' \nexit 2\n");

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual("HWNAS1003", error.Code);
        Assert.AreEqual("/data/hwnas.yaml", error.File);
        Assert.AreEqual(7, error.LineNumber);
        Assert.AreEqual(3, error.ColumnNumber);
        Assert.AreEqual("unknown key", error.Message);
    }

    [TestMethod]
    public void FailureWithoutDiagnosticsStillFailsTheBuild()
    {
        var (task, engine) = Create("echo 'crashed'\nexit 1\n");

        Assert.IsFalse(task.Execute());

        Assert.AreEqual("HWNAS4000", engine.Errors.Single().Code);
    }

    [TestMethod]
    public void NoFeasibleModelFailsTheBuildByDefault()
    {
        var (task, engine) = Create("exit 4\n");

        Assert.IsFalse(task.Execute());

        Assert.AreEqual("HWNAS4001", engine.Errors.Single().Code);
        Assert.IsEmpty(engine.Warnings);
    }

    [TestMethod]
    public void NoFeasibleModelIsAWarningWhenAllowed()
    {
        var (task, engine) = Create("exit 4\n");
        task.FailOnNoFeasibleModel = false;

        Assert.IsTrue(task.Execute());

        Assert.AreEqual("HWNAS4001", engine.Warnings.Single().Code);
        Assert.IsEmpty(engine.Errors);
    }

    [TestMethod]
    public void RunsAToolDllWithTheDotnetHost()
    {
        // A dll that is not there: dotnet itself fails, but the logged command shows how the tool was started.
        var engine = new RecordingBuildEngine();
        var dll = Path.Combine(_folder, "HwAwareNas.Tool.dll");
        var task = new RunHwNasTool
        {
            BuildEngine = engine,
            ConfigFile = Path.Combine(_folder, "hwnas.yaml"),
            OutputDirectory = Path.Combine(_folder, "out"),
            HwNasToolPath = dll,
        };

        Assert.IsFalse(task.Execute());

        Assert.IsTrue(
            MessageTexts(engine).Any(m => m.Contains($"dotnet {dll} optimize ", StringComparison.Ordinal)),
            string.Join(Environment.NewLine, MessageTexts(engine)));
        Assert.IsNotEmpty(engine.Errors);
    }

    private (RunHwNasTool Task, RecordingBuildEngine Engine) Create(string scriptBody, string device = "")
    {
        var script = Path.Combine(_folder, "hwnas");
        File.WriteAllText(script, "#!/bin/sh\n" + scriptBody);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var engine = new RecordingBuildEngine();
        var task = new RunHwNasTool
        {
            BuildEngine = engine,
            ConfigFile = Path.Combine(_folder, "hwnas.yaml"),
            OutputDirectory = Path.Combine(_folder, "out"),
            Device = device,
            HwNasToolPath = script,
        };
        return (task, engine);
    }

    private static List<string> MessageTexts(RecordingBuildEngine engine) => engine.Messages.Select(m => m.Message ?? string.Empty).ToList();
}
