using System.Diagnostics;

namespace HwAwareNas.Onnx.Tests;

/// <summary>
/// Validates a model file with the reference ONNX checker (python3-onnx) in a child process. A missing checker
/// fails the test: an unchecked model must not pass silently.
/// </summary>
internal static class OnnxChecker
{
    // One interpreter checks every file, so many models cost one Python start-up.
    private const string CheckScript =
        "import onnx,sys\nfor p in sys.argv[1:]:\n  print(p, flush=True)\n  onnx.checker.check_model(onnx.load(p), full_check=True)";

    // A pyenv or venv python3 first on PATH may lack the Debian module, so the system interpreter is tried too.
    private static readonly Lazy<string?> Interpreter = new(() =>
        new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(p => RunPython(p, "import onnx").ExitCode == 0));

    public static void Check(params string[] modelPaths)
    {
        var python = Interpreter.Value;
        if (python is null)
        {
            Assert.Fail("No python3 with the onnx module was found to check the exported model: apt-get install python3-onnx");
        }

        var (exitCode, output) = RunPython(python, [CheckScript, .. modelPaths]);
        Assert.AreEqual(0, exitCode, $"The ONNX checker rejected one of {string.Join(", ", modelPaths)}:{Environment.NewLine}{output}");
    }

    private static (int ExitCode, string Output) RunPython(string python, params string[] arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
