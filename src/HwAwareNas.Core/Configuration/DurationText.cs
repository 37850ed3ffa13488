using System.Globalization;
using System.Text.RegularExpressions;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// The one duration grammar of hwnas.yaml, the command line and MSBuild properties: seconds as a number
/// (<c>90</c>, <c>1.5</c>), units combined in order (<c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>1.5h</c>), or
/// <c>hh:mm:ss</c> (<c>01:30:00</c>).
/// </summary>
public static partial class DurationText
{
    /// <summary>The accepted forms, for error messages and generated documentation.</summary>
    public const string Forms = "seconds, or a text like 90s, 15m, 1h30m or hh:mm:ss";

    /// <summary>Parses <paramref name="text"/>; false when it is none of the accepted forms. The sign is not checked.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (UnitsPattern().Match(trimmed) is { Success: true } match)
        {
            static double Part(Group g) => g.Success ? double.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
            duration = TimeSpan.FromSeconds((Part(match.Groups["h"]) * 3600) + (Part(match.Groups["m"]) * 60) + Part(match.Groups["s"]));
            return true;
        }

        // Only the clock form: TimeSpan.TryParse alone would also read "7" as seven days.
        return trimmed.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(trimmed, [@"h\:mm\:ss", @"hh\:mm\:ss", @"h\:mm\:ss\.FFF", @"hh\:mm\:ss\.FFF"], CultureInfo.InvariantCulture, out duration);
    }

    // At least one unit; the empty match of three optional groups is excluded by the lookahead.
    [GeneratedRegex(@"^(?=\d)(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UnitsPattern();
}
