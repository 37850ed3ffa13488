using System.Globalization;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Core.Text;

namespace HwAwareNas.Predictors.Data;

/// <summary>
/// Reads and writes the CSV that <c>dotnet hwnas predictors fit|evaluate --data</c> uses: a <c>genome</c> column
/// in OFA JSON notation and one column per metric. Fields follow RFC 4180 (the JSON's commas and quotes are
/// quoted); an empty metric cell means "not measured".
/// </summary>
public static class MetricCsv
{
    /// <summary>The name of the genome column.</summary>
    public const string GenomeColumn = "genome";

    /// <summary>Reads a metric table from a file.</summary>
    /// <exception cref="HwNasException">The file is missing or malformed (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public static MetricTable Read(string path, ISearchSpace space)
    {
        if (!File.Exists(path))
        {
            throw new HwNasException($"Data file '{path}' does not exist.", ExitCode.MissingInput);
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, space, path);
    }

    /// <summary>Reads a metric table; <paramref name="source"/> names the input in error messages.</summary>
    /// <exception cref="HwNasException">The input is malformed (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public static MetricTable Read(TextReader reader, ISearchSpace space, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(space);
        var records = Rfc4180.Read(reader.ReadToEnd(), (line, message) => Malformed(source, line, message));
        if (records.Count == 0)
        {
            throw Malformed(source, 1, "the file is empty; expected a header with a 'genome' column");
        }

        var header = records[0].Fields.ToList();
        var genomeIndex = header.FindIndex(h => string.Equals(h.Trim(), GenomeColumn, StringComparison.OrdinalIgnoreCase));
        if (genomeIndex < 0)
        {
            throw Malformed(source, 1, "the header has no 'genome' column");
        }

        var metricColumns = Enumerable.Range(0, header.Count).Where(i => i != genomeIndex).ToArray();
        var names = metricColumns.Select(i => header[i].Trim()).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Malformed(source, 1, $"the column '{duplicate.Key}' appears twice");
        }

        var genomes = new List<Genome>();
        var columns = names.Select(_ => new List<double>()).ToArray();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count != header.Count)
            {
                throw Malformed(source, line, $"expected {header.Count} fields, found {fields.Count}");
            }

            try
            {
                genomes.Add(space.FromOfaNotation(fields[genomeIndex]));
            }
            catch (HwNasException e)
            {
                throw Malformed(source, line, $"bad genome: {e.Message}");
            }

            for (var c = 0; c < metricColumns.Length; c++)
            {
                var text = fields[metricColumns[c]].Trim();
                if (text.Length == 0)
                {
                    columns[c].Add(double.NaN);
                }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                {
                    columns[c].Add(value);
                }
                else
                {
                    throw Malformed(source, line, $"'{text}' in column '{names[c]}' is not a number");
                }
            }
        }

        var metrics = names.Select((n, c) => (n, (IReadOnlyList<double>)columns[c])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
        return new MetricTable(genomes, names, metrics);
    }

    /// <summary>Writes a table to a file.</summary>
    public static void Write(string path, ISearchSpace space, MetricTable table)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(writer, space, table);
    }

    /// <summary>Writes <c>genome,NAME</c> rows for one metric.</summary>
    public static void Write(TextWriter writer, ISearchSpace space, IReadOnlyList<Genome> genomes, string metricName, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Write(writer, space, new MetricTable(genomes, [metricName], new Dictionary<string, IReadOnlyList<double>> { [metricName] = values }));
    }

    /// <summary>Writes a table: the genome column first, then the metrics in <see cref="MetricTable.MetricNames"/> order.</summary>
    public static void Write(TextWriter writer, ISearchSpace space, MetricTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(table);
        writer.Write(string.Join(',', new[] { GenomeColumn }.Concat(table.MetricNames).Select(Rfc4180.Quote)));
        writer.Write("\r\n");
        for (var i = 0; i < table.Genomes.Count; i++)
        {
            var cells = table.MetricNames.Select(n => table.Metrics[n][i]).Select(v =>
                double.IsNaN(v) ? string.Empty : v.ToString("R", CultureInfo.InvariantCulture));
            writer.Write(string.Join(',', new[] { Rfc4180.Quote(space.ToOfaNotation(table.Genomes[i])) }.Concat(cells)));
            writer.Write("\r\n");
        }
    }

    private static HwNasException Malformed(string source, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}({line}): {message}."), ExitCode.MissingInput);
}
