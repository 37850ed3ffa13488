using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// The <c>--settings</c>, <c>--input C,H,W</c> and <c>--classes</c> options that <c>inspect</c> and
/// <c>predictors evaluate/fit --data</c> share, and the family they build, so that both read them alike. Each command
/// declares <c>--family</c> itself: one requires it, the other only with <c>--data</c>.
/// </summary>
internal abstract class FamilyArguments
{
    /// <summary>Family settings as key=value pairs.</summary>
    [Option("--settings <SETTINGS>", Description = "Family settings: key=value,... (lists separated by '/').")]
    public string? Settings { get; init; }

    /// <summary>Input shape C,H,W.</summary>
    [Option("--input <C,H,W>", Description = "Input shape C,H,W or CxHxW (default 3,224,224).")]
    public string? Input { get; init; }

    /// <summary>Number of classes.</summary>
    [Option("--classes <N>", Description = "Number of classes (default 1000).")]
    public int? Classes { get; init; }

    /// <summary>Family <paramref name="family"/> built for these options; unset input and classes take the ImageNet defaults.</summary>
    /// <exception cref="HwNasException">An unknown family, a bad setting or a malformed <c>--input</c> (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    protected IElasticFamily CreateFamily(string family) =>
        FamilyRegistry.Create(family, new FamilyOptions(ParseInput(Input), Classes, FamilySettingsReader.Split(Settings)));

    /// <summary>
    /// The <c>--input</c> shape of every command that takes one: C,H,W or CxHxW (e.g. 3,224,224 or 3x224x224); null
    /// when <paramref name="text"/> is empty.
    /// </summary>
    /// <exception cref="HwNasException">Not three positive integers (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    internal static FeatureShape? ParseInput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(text.Contains(',', StringComparison.Ordinal) ? ',' : 'x', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        if (parts.Length != 3
            || !parts.Select((p, i) => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) && values[i] > 0).All(ok => ok))
        {
            throw new HwNasException($"Invalid --input '{text}': expected three positive integers C,H,W (or CxHxW).", ExitCode.BadConfig);
        }

        return new FeatureShape(values[0], values[1], values[2]);
    }
}
