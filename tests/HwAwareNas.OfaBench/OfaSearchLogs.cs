using System.Globalization;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Core.Text;

namespace HwAwareNas.OfaBench;

/// <summary>One logged sub-network: its canonical genome and its ImageNet top-1 (a fraction, the mean of repeated logs).</summary>
/// <param name="Genome">The genome, canonicalized (genes a shallower depth leaves unused are 0).</param>
/// <param name="Accuracy">Top-1 as a fraction.</param>
/// <param name="Repeats">How many log rows named this sub-network.</param>
internal sealed record LoggedSubnet(Genome Genome, double Accuracy, int Repeats);

/// <summary>
/// Reads DyNAS-T's published search logs over OFA MobileNetV3 w1.0 (CSV files with a <c>Sub-network</c> column holding a
/// Python dict literal such as <c>{'wid': None, 'ks': [...], 'e': [...], 'd': [...], 'r': [224]}</c> and a
/// <c>Top-1 Acc (%)</c> column): one entry per distinct sub-network, repeated rows averaged.
/// </summary>
internal static partial class OfaSearchLogs
{
    /// <summary>Column holding the genome.</summary>
    public const string GenomeColumn = "Sub-network";

    /// <summary>Column holding ImageNet top-1 in percent.</summary>
    public const string AccuracyColumn = "Top-1 Acc (%)";

    /// <summary>The logs' files in a folder (every <c>*.csv</c>, in name order).</summary>
    /// <exception cref="HwNasException">The folder is missing or holds no CSV (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public static IReadOnlyList<LoggedSubnet> ReadFolder(string folder, ISearchSpace space)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            throw new HwNasException(
                $"No OFA search logs (*.csv) in '{folder}': the ofa suite needs DyNAS-T's logged MobileNetV3 w1.0 accuracies (pass --ofa-data DIR).",
                ExitCode.MissingInput);
        }

        return Merge(files.SelectMany(f => ReadRows(File.ReadAllText(f), space, f)));
    }

    /// <summary>Parses one log file's text into (genome, top-1 fraction) rows, in file order; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="HwNasException">A column is missing or a row is malformed (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public static IReadOnlyList<(Genome Genome, double Accuracy)> ReadRows(string text, ISearchSpace space, string source)
    {
        ArgumentNullException.ThrowIfNull(space);
        var records = Rfc4180.Read(text, (line, message) => Malformed(source, line, message));
        if (records.Count == 0)
        {
            throw Malformed(source, 1, "the file is empty");
        }

        var header = records[0].Fields;
        var genomeAt = IndexOf(header, GenomeColumn, source);
        var accuracyAt = IndexOf(header, AccuracyColumn, source);
        var rows = new List<(Genome, double)>(records.Count - 1);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count <= Math.Max(genomeAt, accuracyAt))
            {
                throw Malformed(source, record.Line, $"expected at least {Math.Max(genomeAt, accuracyAt) + 1} fields");
            }

            if (!double.TryParse(record.Fields[accuracyAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 100)
            {
                throw Malformed(source, record.Line, $"'{record.Fields[accuracyAt]}' is not a top-1 accuracy in percent");
            }

            rows.Add((ParseGenome(record.Fields[genomeAt], space, source, record.Line), percent / 100));
        }

        return rows;
    }

    /// <summary>One entry per canonical genome, accuracy averaged over its rows, in order of first appearance.</summary>
    public static IReadOnlyList<LoggedSubnet> Merge(IEnumerable<(Genome Genome, double Accuracy)> rows) =>
        [.. rows.GroupBy(r => r.Genome).Select(g => new LoggedSubnet(g.Key, g.Average(r => r.Accuracy), g.Count()))];

    /// <summary>
    /// The canonical genome a Python dict literal names: its <c>ks</c>, <c>e</c> and <c>d</c> lists become OFA-notation JSON
    /// (<c>wid</c> and <c>r</c> are fixed in these logs and ignored).
    /// </summary>
    public static Genome ParseGenome(string literal, ISearchSpace space, string source, int line)
    {
        ArgumentNullException.ThrowIfNull(literal);
        ArgumentNullException.ThrowIfNull(space);
        var lists = ListPattern().Matches(literal).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["values"].Value.Replace(" ", string.Empty, StringComparison.Ordinal));
        string[] keys = ["ks", "e", "d"];
        var missing = keys.FirstOrDefault(k => !lists.ContainsKey(k));
        if (missing is not null)
        {
            throw Malformed(source, line, $"the sub-network '{literal}' has no '{missing}' list");
        }

        var json = "{" + string.Join(',', keys.Select(k => $"\"{k}\":[{lists[k]}]")) + "}";
        try
        {
            return space.Canonicalize(space.FromOfaNotation(json));
        }
        catch (HwNasException e)
        {
            throw Malformed(source, line, e.Message);
        }
    }

    private static int IndexOf(IReadOnlyList<string> header, string column, string source)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i].Trim() == column)
            {
                return i;
            }
        }

        throw Malformed(source, 1, $"no '{column}' column");
    }

    private static HwNasException Malformed(string source, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}({line}): {message}."), ExitCode.MissingInput);

    [GeneratedRegex(@"'(?<key>ks|e|d)'\s*:\s*\[(?<values>[^\]]*)\]")]
    private static partial Regex ListPattern();
}
