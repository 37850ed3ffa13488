using System.Globalization;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HwAwareNas.Build;

/// <summary>
/// Runs <c>dotnet hwnas optimize</c> as a child process, so libtorch and ONNX Runtime never load inside MSBuild,
/// and turns its output into build messages: progress as normal-importance messages, canonical
/// <c>file(line,col): error CODE: ...</c> lines as MSBuild errors the IDE can jump to.
/// </summary>
public sealed class RunHwNasTool : ToolTask
{
    /// <summary>The hwnas.yaml to optimize for.</summary>
    [Required]
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>Folder the tool writes model.onnx and the reports into.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Named device profile (devices/NAME.yaml beside the config) overriding the config's device.</summary>
    public string Device { get; set; } = string.Empty;

    /// <summary>Device profiles for one run over several devices, separated by semicolons (MSBuild's <c>HwNasDevices</c>), or empty.</summary>
    public string Devices { get; set; } = string.Empty;

    /// <summary>
    /// The tool to run: empty to run <c>dotnet hwnas</c> (a local or global tool install), a path to the
    /// <c>hwnas</c> executable, or a path to <c>HwAwareNas.Tool.dll</c> (run with <c>dotnet</c>).
    /// </summary>
    public string HwNasToolPath { get; set; } = string.Empty;

    /// <summary>Whether "no sub-network meets the constraints" fails the build (otherwise it is a warning).</summary>
    public bool FailOnNoFeasibleModel { get; set; } = true;

    /// <summary>Wall-time budget of the search (e.g. <c>90s</c>, <c>10m</c>), passed as <c>--max-time</c>; empty for the config's.</summary>
    public string MaxTime { get; set; } = string.Empty;

    /// <summary>Live evaluations to spend, passed as <c>--validations</c>; empty for the config's <c>search.validations</c>.</summary>
    public string Validations { get; set; } = string.Empty;

    /// <summary>Whether the search stops once a measured sub-network meets every constraint (<c>--stop-when-met</c>).</summary>
    public bool StopWhenMet { get; set; }

    /// <inheritdoc />
    protected override string ToolName => "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    /// <inheritdoc />
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    /// <inheritdoc />
    protected override string GenerateFullPathToTool()
    {
        if (!string.IsNullOrEmpty(HwNasToolPath) && !HwNasToolPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return Path.GetFullPath(HwNasToolPath);
        }

        var dotnetHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return string.IsNullOrEmpty(dotnetHost) ? ToolName : dotnetHost;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The config's folder: <c>dotnet hwnas</c> finds a local tool manifest by walking up from the working
    /// directory, and the project's own manifest is the one that pins the tool version.
    /// </remarks>
    protected override string GetWorkingDirectory() => Path.GetDirectoryName(Path.GetFullPath(ConfigFile)) ?? base.GetWorkingDirectory();

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        if (string.IsNullOrEmpty(HwNasToolPath))
        {
            builder.AppendSwitch("hwnas");
        }
        else if (HwNasToolPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            builder.AppendFileNameIfNotNull(Path.GetFullPath(HwNasToolPath));
        }

        builder.AppendSwitch("optimize");
        builder.AppendFileNameIfNotNull(ConfigFile);
        builder.AppendSwitchIfNotNull("--output ", OutputDirectory);
        if (!string.IsNullOrEmpty(Device))
        {
            builder.AppendSwitchIfNotNull("--device ", Device);
        }

        var devices = Devices.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (devices.Length > 0)
        {
            builder.AppendSwitchIfNotNull("--devices ", string.Join(",", devices));
        }

        if (!string.IsNullOrEmpty(MaxTime))
        {
            builder.AppendSwitchIfNotNull("--max-time ", MaxTime);
        }

        if (!string.IsNullOrEmpty(Validations))
        {
            builder.AppendSwitchIfNotNull("--validations ", Validations);
        }

        if (StopWhenMet)
        {
            builder.AppendSwitch("--stop-when-met");
        }

        builder.AppendSwitch("--log-format msbuild");
        return builder.ToString();
    }

    /// <inheritdoc />
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        // Canonical "file(line,col): error CODE: text" lines become real errors and warnings.
        Log.LogMessageFromText(singleLine, messageImportance);
    }

    /// <inheritdoc />
    protected override bool HandleTaskExecutionErrors()
    {
        if (ExitCode == (int)Core.Diagnostics.ExitCode.NoFeasibleModel)
        {
            var message = string.Create(
                CultureInfo.InvariantCulture,
                $"No sub-network meets the constraints in {ConfigFile}; the report in {OutputDirectory} shows the nearest candidates.");
            if (FailOnNoFeasibleModel)
            {
                Log.LogError(null, "HWNAS4001", null, ConfigFile, 0, 0, 0, 0, message);
                return false;
            }

            Log.LogWarning(null, "HWNAS4001", null, ConfigFile, 0, 0, 0, 0, message);
            return true;
        }

        if (!Log.HasLoggedErrors)
        {
            Log.LogError(null, "HWNAS4000", null, ConfigFile, 0, 0, 0, 0, "dotnet hwnas optimize failed with exit code {0}.", ExitCode);
        }

        return false;
    }

    /// <inheritdoc />
    protected override Encoding StandardOutputEncoding => Encoding.UTF8;
}
