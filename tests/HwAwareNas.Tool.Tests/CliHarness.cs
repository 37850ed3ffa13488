using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Tool.Tests;

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
