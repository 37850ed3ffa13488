using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Tests;

/// <summary>A console whose output and error streams are captured, so the real CLI runs in-process and in parallel.</summary>
/// <param name="output">The writer standard output goes to (a fresh one when null).</param>
internal sealed class CapturedConsole(StringWriter? output = null) : IConsole
{
    public StringWriter Output { get; } = output ?? new();

    public StringWriter ErrorOutput { get; } = new();

    public TextWriter Out => Output;

    public TextWriter Error => ErrorOutput;

    public TextReader In => TextReader.Null;

    public bool IsInputRedirected => true;

    public bool IsOutputRedirected => true;

    public bool IsErrorRedirected => true;

    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public event ConsoleCancelEventHandler? CancelKeyPress
    {
        add { }
        remove { }
    }

    public void ResetColor()
    {
    }
}

/// <summary>The outcome of one CLI run.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public ExitCode Code => (ExitCode)ExitCode;

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Out}stderr:{Environment.NewLine}{Error}";
}

internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var console = new CapturedConsole();
        var exit = Program.Run(args, console);
        return new CliResult(exit, console.Output.ToString(), console.ErrorOutput.ToString());
    }

    /// <summary>The repository's hwnas.yaml.example, found by walking up from the test's output folder.</summary>
    public static string ExamplePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "hwnas.yaml.example");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("hwnas.yaml.example not found above " + AppContext.BaseDirectory);
        }
    }
}
