using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Reads family settings written as <c>key=value</c> pairs (lists separated by <c>/</c>, e.g.
/// <c>width=0.5,strides=2/1/2/2/1/1/1</c>). Unknown keys and malformed values are collected, and
/// <see cref="ThrowIfInvalid"/> reports them all at once as bad configuration (<see cref="FamilySettingsException"/>,
/// naming each setting so that hwnas.yaml validation can locate it); a malformed value reads as its fallback until then.
/// </summary>
public sealed class FamilySettingsReader
{
    private readonly string _family;
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = [];
    private readonly List<(string Message, FamilySettingProblem Problem)> _problems = [];

    /// <summary>Creates a reader over already split pairs.</summary>
    public FamilySettingsReader(string family, IReadOnlyDictionary<string, string>? values)
    {
        _family = family;
        _values = values is null
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Splits <c>k=v,k=v</c> text into pairs; throws on a pair without <c>=</c> or a repeated key.</summary>
    public static IReadOnlyDictionary<string, string> Split(string? text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(text))
        {
            return pairs;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new HwNasException($"Invalid setting '{part}': expected key=value.", ExitCode.BadConfig);
            }

            var key = part[..equals].Trim();
            if (!pairs.TryAdd(key, part[(equals + 1)..].Trim()))
            {
                throw new HwNasException($"Setting '{key}' is given twice.", ExitCode.BadConfig);
            }
        }

        return pairs;
    }

    /// <summary>The text value of <paramref name="key"/>, or null when absent.</summary>
    public string? Text(string key)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>A positive number, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string key, double fallback) =>
        Text(key) is { } text && TryParseNumber(key, text, out var value) ? value : fallback;

    /// <summary>A list of positive numbers, or <paramref name="fallback"/> when absent; its length must be <paramref name="count"/> when given.</summary>
    public IReadOnlyList<double> Numbers(string key, IReadOnlyList<double> fallback, int? count = null) =>
        Text(key) is { } text ? ParseList(key, text, count, fallback, t => TryParseNumber(key, t, out var v) ? v : null) : fallback;

    /// <summary>A list of integers ≥ <paramref name="minimum"/>, or <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<int> Integers(string key, IReadOnlyList<int> fallback, int? count = null, int minimum = 1) =>
        Text(key) is { } text ? ParseList(key, text, count, fallback, t => TryParseInteger(key, t, minimum, out var v) ? v : null) : fallback;

    /// <summary>Records a problem with setting <paramref name="key"/>, reported by <see cref="ThrowIfInvalid"/>.</summary>
    /// <param name="key">The setting.</param>
    /// <param name="message">The whole sentence, for settings given as text.</param>
    /// <param name="problem">What is wrong, for a diagnostic located at the setting.</param>
    /// <param name="expected">What is expected instead.</param>
    internal void Report(string key, string message, string problem, string expected) =>
        _problems.Add((message, new FamilySettingProblem([key], problem, expected)));

    /// <summary>
    /// Throws, naming every problem, when a value was malformed or a key was given that no
    /// <c>Text</c>/<c>Number</c>/... call asked for.
    /// </summary>
    public void ThrowIfInvalid()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var known = _read.Order(StringComparer.Ordinal).ToList();
            var message = $"Unknown {_family} setting(s): {string.Join(", ", unknown)} (known: {string.Join(", ", known)}).";
            foreach (var key in unknown)
            {
                _problems.Add((message, new FamilySettingProblem(
                    [key], $"unknown {_family} setting '{key}'{KeySuggestion.DidYouMean(key, known)}", "one of: " + string.Join(", ", known))));
            }
        }

        if (_problems.Count > 0)
        {
            throw new FamilySettingsException(
                string.Join(' ', _problems.Select(p => p.Message).Distinct(StringComparer.Ordinal)), [.. _problems.Select(p => p.Problem)]);
        }
    }

    /// <summary>
    /// Returns <paramref name="values"/>, recording a problem unless they are strictly ascending (gene values must be).
    /// </summary>
    public IReadOnlyList<T> Ascending<T>(string key, IReadOnlyList<T> values)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i].CompareTo(values[i - 1]) <= 0)
            {
                Report(key, $"Invalid {_family} setting {key}: values must be strictly ascending.",
                    $"{_family} setting '{key}' is not strictly ascending", "values in strictly ascending order");
                break;
            }
        }

        return values;
    }

    /// <summary>Formats a list the way <see cref="Numbers"/> reads it.</summary>
    public static string FormatList<T>(IEnumerable<T> values)
        where T : IFormattable =>
        string.Join('/', values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)));

    private IReadOnlyList<T> ParseList<T>(string key, string text, int? count, IReadOnlyList<T> fallback, Func<string, T?> parse)
        where T : struct
    {
        var items = new List<T>();
        foreach (var item in text.Split('/', StringSplitOptions.TrimEntries))
        {
            // One problem per setting: the first bad item says what the setting needs.
            if (parse(item) is not { } value)
            {
                return fallback;
            }

            items.Add(value);
        }

        if (count is { } expected && items.Count != expected)
        {
            Report(
                key,
                $"Invalid {_family} setting {key}={text}: expected {expected} values separated by '/'.",
                string.Create(CultureInfo.InvariantCulture, $"{_family} setting '{key}' has {items.Count} values"),
                string.Create(CultureInfo.InvariantCulture, $"exactly {expected} values"));
            return fallback;
        }

        return items;
    }

    private bool TryParseNumber(string key, string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && !double.IsInfinity(value))
        {
            return true;
        }

        Report(key, $"Invalid {_family} setting {key}: '{text}' is not a positive number.",
            $"{_family} setting '{key}' has '{text}', not a positive number", "a positive number such as 0.5");
        return false;
    }

    private bool TryParseInteger(string key, string text, int minimum, out int value)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= minimum)
        {
            return true;
        }

        Report(key, $"Invalid {_family} setting {key}: '{text}' is not an integer >= {minimum}.",
            $"{_family} setting '{key}' has '{text}', not a whole number >= {minimum}",
            string.Create(CultureInfo.InvariantCulture, $"whole numbers >= {minimum}"));
        return false;
    }
}
