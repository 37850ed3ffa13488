using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// Loads hwnas.yaml: validates every key against <see cref="ConfigKeys"/> in one pass, collecting all problems as
/// located diagnostics (<c>hwnas.yaml(line,col): error HWNAS1xxx: ...</c>), then binds the typed options and checks
/// the super-network section against its family and its checkpoint's training record.
/// </summary>
public static class HwNasConfigLoader
{
    /// <summary>Loads and validates a file; throws <see cref="HwNasException"/> carrying every problem when invalid.</summary>
    /// <param name="path">The configuration file; diagnostics name it as given.</param>
    /// <param name="options">Load options, or null for the defaults.</param>
    public static HwNasConfig Load(string path, ConfigLoadOptions? options = null) => ThrowIfInvalid(Validate(path, options));

    /// <summary>Loads and validates configuration text; throws <see cref="HwNasException"/> when invalid.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="fileName">The name diagnostics give the text; its folder is where relative paths resolve.</param>
    /// <param name="options">Load options, or null for the defaults.</param>
    public static HwNasConfig Parse(string text, string fileName, ConfigLoadOptions? options = null) =>
        ThrowIfInvalid(ValidateText(text, fileName, options));

    /// <summary>Validates a file without throwing for problems in it.</summary>
    /// <param name="path">The configuration file; diagnostics name it as given.</param>
    /// <param name="options">Load options, or null for the defaults.</param>
    public static ConfigLoadResult Validate(string path, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            var missing = new Diagnostic(
                ConfigDiagnosticCodes.ConfigFileNotFound, DiagnosticSeverity.Error, path, 0, 0, string.Empty,
                $"configuration file '{path}' not found", "run `dotnet hwnas init` to create one, or pass its path");
            return new ConfigLoadResult(null, [missing]);
        }

        return ValidateText(File.ReadAllText(path), path, options);
    }

    /// <summary>Validates configuration text without throwing for problems in it.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="fileName">The name diagnostics give the text; its folder is where relative paths resolve.</param>
    /// <param name="options">Load options, or null for the defaults.</param>
    public static ConfigLoadResult ValidateText(string text, string fileName, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory();
        options ??= new ConfigLoadOptions();
        var reader = new ConfigReader(fileName, baseDirectory, options);
        reader.Read(text);
        var config = new ConfigBinder(reader, Path.GetFullPath(fileName)).Bind();
        SupernetValidation.Check(reader, config.Supernet, options);
        return reader.Diagnostics.Count == 0
            ? new ConfigLoadResult(config, [])
            : new ConfigLoadResult(null, [.. reader.Diagnostics]);
    }

    private static HwNasConfig ThrowIfInvalid(ConfigLoadResult result) =>
        result.Config ?? throw new HwNasException(result.Diagnostics, result.ExitCode);
}
