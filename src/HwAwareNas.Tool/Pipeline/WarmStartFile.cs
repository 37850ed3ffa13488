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
    /// <summary>The genomes in <paramref name="path"/>; <paramref name="source"/> names the setting or option errors point at.</summary>
    public static IReadOnlyList<Genome> Read(ISearchSpace space, string path, string source = "search.warm_start")
    {
        if (!File.Exists(path))
        {
            throw new HwNasException($"{source}: '{path}' does not exist.", ExitCode.MissingInput);
        }

        var lines = File.ReadAllLines(path);
        var header = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? string.Empty;
        if (header.StartsWith('{') || header.StartsWith('#') || header.Length == 0)
        {
            return WarmStartSearch.ReadOfaNotation(space, lines);
        }

        var columns = CsvFields(header);
        var index = columns.FindIndex(c => string.Equals(c, "genome", StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new HwNasException($"{source}: '{path}' is neither OFA-notation lines nor a CSV with a 'genome' column.", ExitCode.BadConfig);
        }

        return WarmStartSearch.ReadOfaNotation(
            space, lines.Skip(Array.IndexOf(lines, lines.First(l => l.Trim().Length > 0)) + 1).Where(l => l.Trim().Length > 0).Select(l => CsvFields(l)[index]));
    }

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
