using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>hwnas validate [path]</c>: reports every problem of a configuration on standard error and exits 0 (valid),
/// 2 (invalid, or its execution provider is not available here) or 3 (the file, or with <c>--check-files</c> a file it
/// names, is missing or unreadable).
/// </summary>
[Command("validate", Description = "Check a hwnas.yaml and report every problem as file(line,col): error HWNAS....")]
internal sealed class ValidateCommand
{
    /// <summary>The configuration file.</summary>
    [Argument(0, "path", Description = "The configuration file (default: ./hwnas.yaml).")]
    public string? ConfigPath { get; init; }

    /// <summary>Whether referenced files must exist.</summary>
    [Option("--check-files", Description = "Also check that the checkpoint (with its training record), dataset and warm-start files exist.")]
    public bool CheckFiles { get; init; }

    /// <summary>A device profile replacing the file's device section.</summary>
    [Option("--device <NAME>", Description = "Use the device profile devices/<NAME>.yaml instead of the file's device section.")]
    public string? Device { get; init; }

    private int OnExecute(IConsole console)
    {
        var path = ConfigPath ?? ConfigKeys.DefaultFileName;
        var result = HwNasConfigLoader.Validate(path, new ConfigLoadOptions { CheckFiles = CheckFiles, DeviceProfile = Device });

        // The tool, unlike the MSBuild task, may load ONNX Runtime to ask for the provider.
        if (result.Config is { } loaded && ProviderCheck.Diagnose(loaded) is { } providerProblem)
        {
            result = new ConfigLoadResult(null, [providerProblem]);
        }

        DiagnosticOutput.Write(console, result.Diagnostics);
        if (result.Config is { } config)
        {
            console.Out.WriteLine(
                $"{path}: valid ({ConfigChoices.Format(config.Supernet.Family)}, device {config.Device.Name} on "
                + $"{ConfigChoices.Format(config.Device.Provider)}, strategy {ConfigChoices.Format(config.Search.Strategy)})");
        }
        else
        {
            console.Error.WriteLine($"{path}: {result.Diagnostics.Count} problem(s) found");
        }

        return (int)result.ExitCode;
    }
}
