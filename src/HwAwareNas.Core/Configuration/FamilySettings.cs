using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Configuration;

/// <summary>One entry of <c>supernet.settings</c>: a scalar or a list of scalars, with where it was written.</summary>
/// <param name="Values">The scalar texts (one for a scalar).</param>
/// <param name="IsList">Whether the YAML value was a list.</param>
/// <param name="Location">Where the value was written.</param>
public sealed record FamilySetting(IReadOnlyList<string> Values, bool IsList, SourceLocation Location);

/// <summary>
/// The free map <c>supernet.settings</c>. Families read their settings through the typed getters, which throw
/// <see cref="HwNasException"/> with a located <c>HWNAS1014</c> diagnostic when a value does not fit.
/// </summary>
public sealed class FamilySettings
{
    private const string KeyPrefix = "supernet.settings.";
    private readonly IReadOnlyDictionary<string, FamilySetting> _entries;

    /// <summary>Creates settings over the given entries.</summary>
    public FamilySettings(IReadOnlyDictionary<string, FamilySetting> entries)
    {
        _entries = entries;
    }

    /// <summary>No settings: every getter returns its fallback.</summary>
    public static FamilySettings Empty { get; } = new(new Dictionary<string, FamilySetting>());

    /// <summary>The names of the settings that were written.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>Reads a real number, or <paramref name="fallback"/> when the setting is absent.</summary>
    public double GetDouble(string name, double fallback) =>
        _entries.TryGetValue(name, out var setting) ? ParseDouble(name, Scalar(name, setting), setting) : fallback;

    /// <summary>Reads a whole number, or <paramref name="fallback"/> when the setting is absent.</summary>
    public int GetInt(string name, int fallback) =>
        _entries.TryGetValue(name, out var setting) ? ParseInt(name, Scalar(name, setting), setting) : fallback;

    /// <summary>Reads a text, or <paramref name="fallback"/> when the setting is absent.</summary>
    public string GetString(string name, string fallback) =>
        _entries.TryGetValue(name, out var setting) ? Scalar(name, setting) : fallback;

    /// <summary>The setting's values as written (one for a scalar), or an empty list when absent.</summary>
    public IReadOnlyList<string> GetStringList(string name) =>
        _entries.TryGetValue(name, out var setting) ? setting.Values : [];

    /// <summary>
    /// The settings in the text form families read from the command line and training records: one entry per setting,
    /// list values joined by '/'.
    /// </summary>
    internal IReadOnlyDictionary<string, string> ToText() =>
        _entries.ToDictionary(e => e.Key, e => string.Join('/', e.Value.Values), StringComparer.Ordinal);

    /// <summary>Reads a list of whole numbers (a scalar reads as a one-item list), or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<int> GetIntList(string name, IReadOnlyList<int> fallback) =>
        _entries.TryGetValue(name, out var setting) ? [.. setting.Values.Select(v => ParseInt(name, v, setting))] : fallback;

    /// <summary>Reads a list of real numbers (a scalar reads as a one-item list), or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<double> GetDoubleList(string name, IReadOnlyList<double> fallback) =>
        _entries.TryGetValue(name, out var setting) ? [.. setting.Values.Select(v => ParseDouble(name, v, setting))] : fallback;

    /// <summary>
    /// Throws a located diagnostic for every setting not in <paramref name="known"/>, suggesting the closest known
    /// name, so that a family rejects typos instead of silently ignoring them.
    /// </summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        var diagnostics = _entries
            .Where(e => !known.Contains(e.Key))
            .Select(e => Problem(
                e.Key,
                e.Value,
                $"unknown family setting '{e.Key}'{KeySuggestion.DidYouMean(e.Key, known)}",
                "one of: " + string.Join(", ", known)))
            .ToList();
        if (diagnostics.Count > 0)
        {
            throw new HwNasException(diagnostics, ExitCode.BadConfig);
        }
    }

    /// <summary>Throws a located diagnostic about setting <paramref name="name"/> (e.g. a family's own range check).</summary>
    public HwNasException Invalid(string name, string message, string expected)
    {
        var location = _entries.TryGetValue(name, out var setting) ? setting.Location : new SourceLocation(string.Empty, 0, 0);
        var diagnostic = new Diagnostic(
            ConfigDiagnosticCodes.InvalidFamilySetting, DiagnosticSeverity.Error, location.File, location.Line,
            location.Column, KeyPrefix + name, message, expected);
        return new HwNasException([diagnostic], ExitCode.BadConfig);
    }

    private static Diagnostic Problem(string name, FamilySetting setting, string message, string expected) =>
        new(ConfigDiagnosticCodes.InvalidFamilySetting, DiagnosticSeverity.Error, setting.Location.File, setting.Location.Line,
            setting.Location.Column, KeyPrefix + name, message, expected);

    private string Scalar(string name, FamilySetting setting) =>
        setting.IsList ? throw Invalid(name, $"setting '{name}' is a list", "a single value") : setting.Values[0];

    private static double ParseDouble(string name, string text, FamilySetting setting) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new HwNasException([Problem(name, setting, $"setting '{name}' has '{text}', not a number", "a number such as 1.0")], ExitCode.BadConfig);

    private static int ParseInt(string name, string text, FamilySetting setting) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new HwNasException([Problem(name, setting, $"setting '{name}' has '{text}', not a whole number", "a whole number such as 16")], ExitCode.BadConfig);
}
