using System.Globalization;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Writes the benchmark's copies of the sample's hwnas.yaml: the same super-network, data, device and constraints,
/// with the checkpoint path made absolute and the accuracy subset, predictors and output folder set for the
/// benchmark. Each edit must match exactly one line of the sample, and the written file is loaded back and checked,
/// so a changed sample fails loudly instead of benchmarking something else.
/// </summary>
internal static partial class BenchmarkConfig
{
    /// <summary>
    /// Writes <paramref name="target"/> from <paramref name="sampleYaml"/> and returns it loaded; a
    /// <paramref name="checkpoint"/> path replaces the sample's (so <c>train</c> never overwrites the committed one).
    /// </summary>
    public static HwNasConfig Write(
        string sampleYaml, string target, int calibrationImages, int validationImages, string predictor = "ridge", int? validations = null, string? checkpoint = null)
    {
        var sampleFolder = Path.GetDirectoryName(Path.GetFullPath(sampleYaml))!;
        var text = File.ReadAllText(sampleYaml);
        text = Replace(text, CheckpointLine(), m => $"{m.Groups[1].Value}checkpoint: {checkpoint ?? Path.GetFullPath(Path.Combine(sampleFolder, m.Groups[2].Value))}");
        text = Replace(text, CalibrationLine(), m => Invariant($"{m.Groups[1].Value}calibration_images: {calibrationImages}"));
        text = Replace(text, ValidationImagesLine(), m => Invariant($"{m.Groups[1].Value}validation_images: {validationImages}"));
        text = Replace(text, SearchLine(), _ => $"search:\n  predictors:\n    latency: {predictor}\n    accuracy: {predictor}");
        if (validations is { } budget)
        {
            text = Replace(text, ValidationsLine(), m => Invariant($"{m.Groups[1].Value}validations: {budget}"));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        File.WriteAllText(target, "# Written by the HwAwareNas benchmarks from " + Path.GetFullPath(sampleYaml) + "\n" + text);
        var config = HwNasConfigLoader.Load(target);
        if (config.Dataset.ValidationImages != validationImages || config.Dataset.CalibrationImages != calibrationImages
            || (checkpoint is null && !File.Exists(config.Supernet.Checkpoint))

            // The budget is what is measured, so no iteration cap may end a run before it is spent (the sample sets none).
            || (validations is { } v && (config.Search.Validations != v || config.Search.Iterations is not null)))
        {
            throw new InvalidOperationException($"The derived configuration {target} does not hold the benchmark's settings.");
        }

        return config;
    }

    private static string Replace(string text, Regex pattern, Func<Match, string> replacement)
    {
        var matches = pattern.Matches(text);
        if (matches.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected exactly one line matching '{pattern}' in the sample's hwnas.yaml, found {matches.Count}.");
        }

        return pattern.Replace(text, m => replacement(m));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\s+)checkpoint:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CheckpointLine();

    [GeneratedRegex(@"^(\s+)calibration_images:\s*\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex CalibrationLine();

    [GeneratedRegex(@"^(\s+)validation_images:\s*\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex ValidationImagesLine();

    [GeneratedRegex(@"^search:\s*$", RegexOptions.Multiline)]
    private static partial Regex SearchLine();

    [GeneratedRegex(@"^(\s+)validations:\s*\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex ValidationsLine();
}
