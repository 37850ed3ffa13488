using System.Collections;
using System.Globalization;

namespace HwAwareNas.Core.Configuration;

/// <summary>Writes configuration values the way YAML spells them, for documentation and messages.</summary>
internal static class ConfigValueText
{
    /// <summary>Formats a default value; null reads as <c>none</c>.</summary>
    public static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
