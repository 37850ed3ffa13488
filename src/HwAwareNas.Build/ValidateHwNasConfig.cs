using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HwAwareNas.Build;

/// <summary>
/// Validates hwnas.yaml inside MSBuild (no native libraries involved) so mistakes surface as located build
/// errors, and lists the files the search reads so the optimize target can be skipped when none changed.
/// </summary>
public sealed class ValidateHwNasConfig : Microsoft.Build.Utilities.Task
{
    /// <summary>The hwnas.yaml to validate.</summary>
    [Required]
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>Named device profile replacing the config's <c>device:</c> section, or empty.</summary>
    public string Device { get; set; } = string.Empty;

    /// <summary>The config, the device profile, the checkpoint and the dataset files: the search's inputs.</summary>
    [Output]
    public ITaskItem[] InputFiles { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var options = new ConfigLoadOptions
        {
            CheckFiles = true,
            DeviceProfile = string.IsNullOrEmpty(Device) ? null : Device,
        };
        var result = HwNasConfigLoader.Validate(ConfigFile, options);
        foreach (var diagnostic in result.Diagnostics)
        {
            var text = string.IsNullOrEmpty(diagnostic.Expected) ? diagnostic.Message : $"{diagnostic.Message} ({diagnostic.Expected})";
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                Log.LogError(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, text);
            }
            else
            {
                Log.LogWarning(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, text);
            }
        }

        if (result.Config is { } config)
        {
            InputFiles = InputsOf(config).Distinct(StringComparer.Ordinal).Select(p => (ITaskItem)new TaskItem(p)).ToArray();
        }

        return !Log.HasLoggedErrors;
    }

    private static IEnumerable<string> InputsOf(HwNasConfig config)
    {
        yield return config.SourcePath;
        if (config.Device.ProfilePath is { } profile)
        {
            yield return profile;
        }

        yield return config.Supernet.Checkpoint;
        yield return config.Dataset.Train;
        yield return config.Dataset.Val;
        if (config.Dataset.TrainLabels is { } trainLabels)
        {
            yield return trainLabels;
        }

        if (config.Dataset.ValLabels is { } valLabels)
        {
            yield return valLabels;
        }
    }
}
