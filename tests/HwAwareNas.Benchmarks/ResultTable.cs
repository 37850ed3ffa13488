using System.Globalization;
using System.Text;

namespace HwAwareNas.Benchmarks;

/// <summary>One result table: written as a Markdown section of the run's README and as its own CSV file.</summary>
/// <param name="FileName">CSV file name without extension, e.g. <c>search-thresholds</c>.</param>
/// <param name="Title">Section title.</param>
/// <param name="Note">What the figures are and how they were obtained (Markdown, may be empty).</param>
/// <param name="Columns">Column headers.</param>
/// <param name="Rows">Cells, one array per row, as many as <paramref name="Columns"/>.</param>
/// <param name="CsvOnly">Whether the rows are too many for the README: it then links the CSV only.</param>
/// <param name="Figure">A plot of the table written beside it (e.g. SVG) and shown above it, or null.</param>
internal sealed record ResultTable(
    string FileName, string Title, string Note, IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows, bool CsvOnly = false,
    ResultFigure? Figure = null)
{
    /// <summary>The table as Markdown: title, note, then the pipe table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### ").AppendLine(Title).AppendLine();
        if (Note.Length > 0)
        {
            text.AppendLine(Note).AppendLine();
        }

        if (Figure is not null)
        {
            text.AppendLine($"![{Title}]({Figure.FileName})").AppendLine();
        }

        if (CsvOnly)
        {
            return text.AppendLine($"{Rows.Count} rows: [{FileName}.csv]({FileName}.csv)").ToString();
        }

        text.Append("| ").AppendJoin(" | ", Columns).AppendLine(" |");
        text.Append('|').AppendJoin('|', Columns.Select((_, i) => i == 0 ? "---" : "--:")).AppendLine("|");
        foreach (var row in Rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
        }

        return text.AppendLine().AppendLine($"CSV: [{FileName}.csv]({FileName}.csv)").ToString();
    }

    /// <summary>The table as RFC 4180 CSV (header row first).</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(Quote)).Append('\n');
        foreach (var row in Rows)
        {
            text.AppendJoin(',', row.Select(Quote)).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}

/// <summary>A figure file that goes with a result table.</summary>
/// <param name="FileName">File name in the results folder, e.g. <c>ofa-curves.svg</c>.</param>
/// <param name="Content">The file's text.</param>
internal sealed record ResultFigure(string FileName, string Content);

/// <summary>Number formatting for the tables (invariant culture; NaN shows as an em dash).</summary>
internal static class Cell
{
    /// <summary>A number with <paramref name="format"/>, or "—" when not a number.</summary>
    public static string Of(double value, string format = "F3") =>
        double.IsNaN(value) || double.IsInfinity(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>An integer.</summary>
    public static string Of(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer.</summary>
    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Mean ± sample standard deviation of <paramref name="values"/>, NaN values left out.</summary>
    public static string MeanStdev(IReadOnlyCollection<double> values, string format = "F3")
    {
        var numbers = values.Where(v => !double.IsNaN(v)).ToList();
        return numbers.Count == 0 ? "—" : $"{Of(Stats.Mean(numbers), format)} ± {Of(Stats.Stdev(numbers), format)}";
    }
}

/// <summary>Sample statistics of benchmark repetitions.</summary>
internal static class Stats
{
    /// <summary>Arithmetic mean; NaN when empty.</summary>
    public static double Mean(IReadOnlyCollection<double> values) => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Sample standard deviation (n − 1); 0 for a single value, NaN when empty.</summary>
    public static double Stdev(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        if (values.Count == 1)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The value below which <paramref name="quantile"/> of the values fall (linear interpolation).</summary>
    public static double Quantile(IReadOnlyCollection<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var position = quantile * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
