using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// Builds a family from the <c>--family</c>, <c>--settings</c>, <c>--input C,H,W</c> and <c>--classes</c> options that
/// <c>inspect</c> and <c>predictors evaluate/fit --data</c> share, so that both read them alike.
/// </summary>
internal static class FamilyArguments
{
    /// <summary>The family the options name; unset input and classes take the family's ImageNet defaults.</summary>
    /// <exception cref="HwNasException">An unknown family, a bad setting or a malformed <c>--input</c> (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public static IElasticFamily Create(string family, string? settings, string? input, int? classes) =>
        FamilyRegistry.Create(family, new FamilyOptions(ParseInput(input), classes, FamilySettingsReader.Split(settings)));

    private static FeatureShape? ParseInput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        if (parts.Length != 3
            || !parts.Select((p, i) => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) && values[i] > 0).All(ok => ok))
        {
            throw new HwNasException($"Invalid --input '{text}': expected three positive integers C,H,W.", ExitCode.BadConfig);
        }

        return new FeatureShape(values[0], values[1], values[2]);
    }
}
