using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
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

            var columns = CsvFields(header);
            var index = columns.FindIndex(c => string.Equals(c, "genome", StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new HwNasException($"'{path}' is neither OFA-notation lines nor a CSV with a 'genome' column.", ExitCode.BadConfig);
            }

            // Every line keeps its place (the header and blank lines as blanks), so errors name the file's own line numbers.
            return WarmStartSearch.ReadOfaNotation(
                space, lines.Select((l, i) => i <= headerIndex || l.Trim().Length == 0 ? string.Empty : CsvField(l, index)), path);
        }
        catch (HwNasException e)
        {
            throw new HwNasException($"{source}: {e.Message}", e.ExitCode, e);
        }
    }

    // A row without the genome column is a malformed genome too: an empty one, reported at its line.
    private static string CsvField(string line, int index) => CsvFields(line) is var fields && index < fields.Count ? fields[index] : "{}";

    // RFC 4180 fields: OFA-notation JSON holds commas, so a genome column is quoted with doubled quotes inside.
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
