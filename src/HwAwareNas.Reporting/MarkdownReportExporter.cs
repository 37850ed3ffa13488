using System.Text;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes <c>report.md</c> for CI job summaries (e.g. <c>$GITHUB_STEP_SUMMARY</c>): the same sections and tables as the
/// HTML report, without images. Cell text is escaped so a pipe or markup in a user string cannot break the table.
/// </summary>
internal sealed class MarkdownReportExporter : IReportExporter
{
    /// <inheritdoc />
    public string Name => "markdown";

    /// <inheritdoc />
    public string FileName => "report.md";

    /// <inheritdoc />
    public void Write(RunSummary summary, Stream output)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(ReportSections.Title(summary))).Append("\n\n")
            .Append("**").Append(Escape(ReportFormatting.Outcome(summary.Outcome))).Append("**\n");
        foreach (var section in ReportSections.Build(summary))
        {
            md.Append("\n## ").Append(Escape(section.Title)).Append('\n');
            foreach (var paragraph in section.Paragraphs)
            {
                md.Append('\n').Append(Escape(paragraph)).Append('\n');
            }

            foreach (var table in section.Tables)
            {
                AppendTable(md, table);
            }
        }

        output.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(md.ToString()));
    }

    private static void AppendTable(StringBuilder md, ReportTable table)
    {
        md.Append("\n**").Append(Escape(table.Caption)).Append("**\n\n");
        if (table.Rows.Count == 0)
        {
            md.Append("_none_\n");
            return;
        }

        AppendRow(md, table.Headers);
        md.Append('|');
        foreach (var _ in table.Headers)
        {
            md.Append(" --- |");
        }

        md.Append('\n');
        foreach (var row in table.Rows)
        {
            AppendRow(md, row);
        }
    }

    private static void AppendRow(StringBuilder md, IReadOnlyList<string> cells)
    {
        md.Append('|');
        foreach (var cell in cells)
        {
            md.Append(' ').Append(Escape(cell)).Append(" |");
        }

        md.Append('\n');
    }

    /// <summary>
    /// Escapes Markdown punctuation and angle brackets (job summaries render inline HTML) and folds line breaks, which
    /// would end a table row.
    /// </summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '\r':
                case '\n':
                    escaped.Append(' ');
                    break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']':
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
