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

    /// <summary>
    /// Device profiles for one run over several devices (MSBuild's <c>HwNasDevices</c>, separated by semicolons), or
    /// empty for the config's own <c>devices:</c> list, if any.
    /// </summary>
    public string Devices { get; set; } = string.Empty;

    /// <summary>The config, the device profiles, the checkpoint and the dataset files: the search's inputs.</summary>
    [Output]
    public ITaskItem[] InputFiles { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var result = Validate(string.IsNullOrEmpty(Device) ? null : Device);
        if (result.Config is { } file && string.IsNullOrEmpty(Device))
        {
            // Each device of a list is its own configuration: its profile is checked, and is an input, like the file.
            var listed = Devices.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in listed.Length > 0 ? listed : file.Devices)
            {
                if (Validate(name).Config is { } device)
                {
                    InputFiles = [.. InputFiles, .. InputsOf(device).Select(p => (ITaskItem)new TaskItem(p))];
                }
            }
        }

        if (result.Config is { } config)
        {
            InputFiles = [.. InputsOf(config).Select(p => (ITaskItem)new TaskItem(p)), .. InputFiles];
            InputFiles = [.. InputFiles.DistinctBy(i => i.ItemSpec, StringComparer.Ordinal)];
        }

        return !Log.HasLoggedErrors;
    }

    // Validates the config with one device profile (or its own device), logging every diagnostic at its place.
    private ConfigLoadResult Validate(string? deviceProfile)
    {
        var options = new ConfigLoadOptions { CheckFiles = true, DeviceProfile = deviceProfile };
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

        return result;
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
