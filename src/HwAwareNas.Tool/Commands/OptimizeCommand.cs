using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas optimize</c>: searches the trained super-network for the sub-network that is most accurate within
/// the device's constraints, verifies it by live measurement, and writes model.onnx plus reports into the output folder.
/// Exits 0 on success, 2 for a bad config, 3 for a missing checkpoint or dataset, 4 when nothing meets the constraints,
/// 7 when the output folder cannot be written, 130 when cancelled (see <see cref="ExitCode"/>).
/// </summary>
[Command("optimize", Description = "Search, verify and export the best sub-network for the device; write model.onnx and reports.")]
internal sealed class OptimizeCommand
{
    /// <summary>The configuration file.</summary>
    [Argument(0, "path", Description = "The configuration file (default: ./hwnas.yaml).")]
    public string? ConfigPath { get; init; }

    /// <summary>Output folder override.</summary>
    [Option("-o|--output <DIR>", Description = "Write outputs here instead of output.dir.")]
    public string? Output { get; init; }

    /// <summary>A device profile replacing the file's device section.</summary>
    [Option("--device <NAME>", Description = "Use the device profile devices/<NAME>.yaml instead of the file's device section.")]
    public string? Device { get; init; }

    /// <summary>Device profiles for one run over several devices, comma-separated.</summary>
    [Option("--devices <NAMES>", Description = "One run for several devices: device profiles devices/<NAME>.yaml, comma-separated (replaces the file's devices: list); writes <output>/<NAME>/ for each and summary.md.")]
    public string? Devices { get; init; }

    /// <summary>Live-evaluation budget override.</summary>
    [Option("--validations <N>", Description = "Live evaluations to spend (overrides search.validations).")]
    public int? Validations { get; init; }

    /// <summary>Wall-time budget, e.g. 90s, 10m, 1h.</summary>
    [Option("--max-time <DURATION>", Description = "Stop searching after this long (e.g. 90s, 10m, 1h); what was measured still counts.")]
    public string? MaxTime { get; init; }

    /// <summary>Stop once a measured sub-network meets every constraint.</summary>
    [Option("--stop-when-met", Description = "Stop searching once a measured sub-network meets every constraint, at the end of its batch (sets search.stop_when_met).")]
    public bool StopWhenMet { get; init; }

    /// <summary>Output format for MSBuild.</summary>
    [Option("--log-format <FORMAT>", Description = "text (default) or msbuild (plain progress lines; errors as file(line,col): error CODE: message).")]
    public string? LogFormat { get; init; }

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public async Task<int> OnExecuteAsync(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var msbuild = LogFormat?.ToLowerInvariant() switch
        {
            null or "text" => false,
            "msbuild" => true,
            _ => throw new HwNasException($"Invalid --log-format '{LogFormat}': expected text or msbuild.", ExitCode.BadConfig),
        };
        var request = new OptimizeRequest(ConfigPath ?? ConfigKeys.DefaultFileName, Output, Device, Validations, ParseDuration(MaxTime), msbuild, StopWhenMet)
        {
            Devices = Devices?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        };

        // Ctrl+C or SIGTERM cancels between measurements and between report steps; finished measurements are already in
        // the results store and the outputs are replaced only by a finished run.
        using var cancellation = new ConsoleCancellation(console, "finished measurements stay in the results store, the outputs are left as they were");
        try
        {
            return (int)await new OptimizePipeline(console).RunAsync(request, cancellation.Token).ConfigureAwait(false);
        }
        catch (HwNasException error) when (msbuild && error.Diagnostics.Count == 0)
        {
            // MSBuild recognises only the canonical error format; locate plain errors at the config file.
            console.Error.WriteLine($"{Path.GetFullPath(request.ConfigPath)}(1,1): error HWNAS{(int)error.ExitCode:0000}: {error.Message}");
            return (int)error.ExitCode;
        }
    }

    /// <summary>Parses a positive duration in <see cref="DurationText"/>'s grammar (the yaml's); null stays null.</summary>
    internal static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DurationText.TryParse(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw new HwNasException($"Invalid --max-time '{text}': expected a positive duration: {DurationText.Forms}.", ExitCode.BadConfig);
    }
}
