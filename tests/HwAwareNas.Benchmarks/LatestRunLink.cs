using System.Text.RegularExpressions;

namespace HwAwareNas.Benchmarks;

/// <summary>Points the "Latest full run" line of benchmarks/README.md at a results folder.</summary>
internal static partial class LatestRunLink
{
    /// <summary>Rewrites the marked line of <paramref name="readme"/> to link <paramref name="resultsFolder"/>; false when the file or marker is missing.</summary>
    public static bool Update(string readme, string resultsFolder)
    {
        if (!File.Exists(readme))
        {
            return false;
        }

        var text = File.ReadAllText(readme);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(readme)!, resultsFolder).Replace('\\', '/');
        var line = $"<!-- latest-run -->Latest full run: [{relative}]({relative}/README.md)<!-- /latest-run -->";
        var updated = Marker().Replace(text, line, 1);
        if (updated == text && !text.Contains(line, StringComparison.Ordinal))
        {
            return false;
        }

        File.WriteAllText(readme, updated);
        return true;
    }

    [GeneratedRegex("<!-- latest-run -->.*<!-- /latest-run -->")]
    private static partial Regex Marker();
}
