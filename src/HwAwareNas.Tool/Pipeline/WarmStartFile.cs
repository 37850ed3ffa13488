using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Core.Text;
using HwAwareNas.Search.Strategies;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Reads a warm-start population: OFA-notation genomes one per line, or a CSV whose header has a <c>genome</c>
/// column (as pareto.csv does).
/// </summary>
internal static class WarmStartFile
{
    /// <summary>
    /// The genomes in <paramref name="path"/>; <paramref name="source"/> names the setting or option errors point at, and
    /// a malformed genome is located as <c>path:line</c>.
    /// </summary>
    public static IReadOnlyList<Genome> Read(ISearchSpace space, string path, string source = "search.warm_start")
    {
        if (!File.Exists(path))
        {
            throw new HwNasException($"{source}: '{path}' does not exist.", ExitCode.MissingInput);
        }

        var lines = File.ReadAllLines(path);
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        var header = headerIndex < 0 ? string.Empty : lines[headerIndex].Trim();
        try
        {
            if (header.StartsWith('{') || header.StartsWith('#') || header.Length == 0)
            {
                return WarmStartSearch.ReadOfaNotation(space, lines, path);
            }

            var records = Rfc4180.Read(string.Join('\n', lines), (line, message) => Malformed(path, line, message));
            var columns = records[0].Fields;
            var index = columns.ToList().FindIndex(c => string.Equals(c.Trim(), "genome", StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new HwNasException($"'{path}' is neither OFA-notation lines nor a CSV with a 'genome' column.", ExitCode.BadConfig);
            }

            // Every genome keeps its record's line (the header and blank lines as blanks), so errors name the file's own line numbers.
            var genomeLines = Enumerable.Repeat(string.Empty, lines.Length).ToArray();
            foreach (var record in records.Skip(1))
            {
                if (record.Fields.Count != columns.Count)
                {
                    throw Malformed(path, record.Line, $"expected {columns.Count} fields, found {record.Fields.Count}");
                }

                genomeLines[record.Line - 1] = record.Fields[index];
            }

            return WarmStartSearch.ReadOfaNotation(space, genomeLines, path);
        }
        catch (HwNasException e)
        {
            throw new HwNasException($"{source}: {e.Message}", e.ExitCode, e);
        }
    }

    private static HwNasException Malformed(string path, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: {message}."), ExitCode.BadConfig);
}
