using System.Diagnostics;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Tool.Tests;

[TestClass]
public sealed class ProgramTests
{
    [TestMethod]
    public void VersionPrintsTheInformationalVersion()
    {
        var result = Cli.Run("--version");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(Program.InformationalVersion, result.Out.Trim());
        StringAssert.StartsWith(Program.InformationalVersion, "0.1.0");
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        var result = Cli.Run("--help");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        foreach (var command in new[] { "init", "validate", "schema", "--verbose" })
        {
            StringAssert.Contains(result.Out, command);
        }
    }

    [TestMethod]
    public void NoCommandShowsHelpAndFails()
    {
        var result = Cli.Run();

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Out, "Usage: hwnas");
    }

    [TestMethod]
    public void UnknownOptionIsBadInput()
    {
        var result = Cli.Run("validate", "--no-such-option");

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "--no-such-option");
        StringAssert.Contains(result.Error, "Run 'hwnas validate --help' for usage.");
        StringAssert.Contains(Cli.Run("--no-such-option").Error, "Run 'hwnas --help' for usage.");
    }

    [TestMethod]
    public void UnexpectedErrorsPrintOneLineAndTheStackOnlyWhenVerbose()
    {
        using var folder = new TempFolder();
        var blocker = folder.Write("not-a-folder", "x");
        var target = Path.Combine(blocker, "sub", "hwnas.schema.json");

        var quiet = Cli.Run("schema", "-o", target);
        var verbose = Cli.Run("schema", "-o", target, "--verbose");

        Assert.AreEqual(ExitCode.Failure, quiet.Code, quiet.ToString());
        var quietLines = quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(2, quietLines, quiet.ToString());
        StringAssert.StartsWith(quietLines[0], "hwnas: error: DirectoryNotFoundException: ");
        StringAssert.Contains(quietLines[1], "--verbose");
        Assert.AreEqual(ExitCode.Failure, verbose.Code, verbose.ToString());
        StringAssert.Contains(verbose.Error, "   at ");
    }

    [TestMethod]
    public void ToolRunsAsAChildProcess()
    {
        var toolDll = Path.Combine(AppContext.BaseDirectory, "HwAwareNas.Tool.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(toolDll);
        start.ArgumentList.Add("validate");
        start.ArgumentList.Add(Cli.ExamplePath);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.AreEqual(0, process.ExitCode, error);
        StringAssert.Contains(output.Result, "valid");
    }
}
