using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Reads family settings written as <c>key=value</c> pairs (lists separated by <c>/</c>, e.g.
/// <c>width=0.5,strides=2/1/2/2/1/1/1</c>) and reports unknown keys and malformed values as bad configuration.
/// </summary>
public sealed class FamilySettingsReader
{
    private readonly string _family;
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = [];

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
        Text(key) is { } text ? ParseNumber(key, text) : fallback;

    /// <summary>A list of positive numbers, or <paramref name="fallback"/> when absent; its length must be <paramref name="count"/> when given.</summary>
    public IReadOnlyList<double> Numbers(string key, IReadOnlyList<double> fallback, int? count = null) =>
        Text(key) is { } text ? ParseList(key, text, count, t => ParseNumber(key, t)) : fallback;

    /// <summary>A list of integers ≥ <paramref name="minimum"/>, or <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<int> Integers(string key, IReadOnlyList<int> fallback, int? count = null, int minimum = 1) =>
        Text(key) is { } text ? ParseList(key, text, count, t => ParseInteger(key, t, minimum)) : fallback;

    /// <summary>Throws when a key was given that no <c>Text</c>/<c>Number</c>/... call asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new HwNasException(
                $"Unknown {_family} setting(s): {string.Join(", ", unknown)} (known: {string.Join(", ", _read.Order(StringComparer.Ordinal))}).",
                ExitCode.BadConfig);
        }
    }

    /// <summary>Returns <paramref name="values"/> after checking they are strictly ascending (gene values must be).</summary>
    public IReadOnlyList<T> Ascending<T>(string key, IReadOnlyList<T> values)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i].CompareTo(values[i - 1]) <= 0)
            {
                throw new HwNasException($"Invalid {_family} setting {key}: values must be strictly ascending.", ExitCode.BadConfig);
            }
        }

        return values;
    }

    /// <summary>Formats a list the way <see cref="Numbers"/> reads it.</summary>
    public static string FormatList<T>(IEnumerable<T> values)
        where T : IFormattable =>
        string.Join('/', values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)));

    private List<T> ParseList<T>(string key, string text, int? count, Func<string, T> parse)
    {
        var items = text.Split('/', StringSplitOptions.TrimEntries).Select(parse).ToList();
        if (count is { } expected && items.Count != expected)
        {
            throw new HwNasException(
                $"Invalid {_family} setting {key}={text}: expected {expected} values separated by '/'.", ExitCode.BadConfig);
        }

        return items;
    }

    private double ParseNumber(string key, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || double.IsInfinity(value))
        {
            throw new HwNasException($"Invalid {_family} setting {key}: '{text}' is not a positive number.", ExitCode.BadConfig);
        }

        return value;
    }

    private int ParseInteger(string key, string text, int minimum)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw new HwNasException(
                $"Invalid {_family} setting {key}: '{text}' is not an integer >= {minimum}.", ExitCode.BadConfig);
        }

        return value;
    }
}
