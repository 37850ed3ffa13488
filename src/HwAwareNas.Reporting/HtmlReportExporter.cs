using System.Net;
using System.Text;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page that opens offline. Styles are inline, plots are inline SVG drawn
/// by ScottPlot, nothing is loaded from the network, and every string that came from the user or the device is
/// HTML-encoded.
/// </summary>
internal sealed class HtmlReportExporter : IReportExporter
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
        h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
        table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; } td.genome { font-family: ui-monospace, monospace; font-size: .8rem; word-break: break-all; }
        .outcome-ok { color: #1b5e20; } .outcome-fail { color: #b71c1c; }
        figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
        """;

    /// <inheritdoc />
    public string Name => "html";

    /// <inheritdoc />
    public string FileName => "report.html";

    /// <inheritdoc />
    public void Write(RunSummary summary, Stream output)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        var html = new StringBuilder();
        var title = ReportSections.Title(summary);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append("<p class=\"").Append(summary.Selection.HasSelection ? "outcome-ok" : "outcome-fail").Append("\"><strong>")
            .Append(Encode(ReportFormatting.Outcome(summary.Outcome))).Append("</strong></p>\n");

        var chartNumber = 0;
        foreach (var section in ReportSections.Build(summary))
        {
            html.Append("<section id=\"").Append(section.Id).Append("\">\n<h2>").Append(Encode(section.Title)).Append("</h2>\n");
            foreach (var paragraph in section.Paragraphs)
            {
                html.Append("<p>").Append(Encode(paragraph)).Append("</p>\n");
            }

            foreach (var chart in section.Charts)
            {
                foreach (var (caption, svg) in Render(summary, chart, () => $"c{++chartNumber}_"))
                {
                    html.Append("<figure>\n").Append(svg).Append("\n<figcaption>").Append(Encode(caption)).Append("</figcaption>\n</figure>\n");
                }
            }

            foreach (var table in section.Tables)
            {
                AppendTable(html, table);
            }

            html.Append("</section>\n");
        }

        html.Append("</body>\n</html>\n");
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html.ToString());
        output.Write(bytes);
    }

    private static IEnumerable<(string Caption, string Svg)> Render(RunSummary summary, ReportChart chart, Func<string> nextPrefix)
    {
        switch (chart)
        {
            case ReportChart.Front when summary.Candidates.Count > 0:
                yield return ("Latency against accuracy: every evaluated candidate, the predicted front, the re-measured front and the constraint bounds.", ReportCharts.Front(summary, nextPrefix()));
                break;
            case ReportChart.Hypervolume when summary.Hypervolume.Count > 0:
                yield return ("Hypervolume of the front after each number of validations.", ReportCharts.Hypervolume(summary.Hypervolume, nextPrefix()));
                break;
            case ReportChart.Predictors:
                foreach (var predictor in summary.Predictors.Where(p => p.Pairs.Count > 0))
                {
                    yield return ($"{predictor.Name} ({predictor.Target}): held-out measured against predicted values.", ReportCharts.Predictor(predictor, nextPrefix()));
                }

                break;
            case ReportChart.Stages when summary.Stages.Count > 0:
                yield return ("Wall time per pipeline stage.", ReportCharts.Stages(summary.Stages, nextPrefix()));
                break;
            default:
                break;
        }
    }

    private static void AppendTable(StringBuilder html, ReportTable table)
    {
        var genomeColumn = IndexOfGenome(table.Headers);
        html.Append("<table>\n<caption>").Append(Encode(table.Caption)).Append("</caption>\n");
        if (!table.IsKeyValue)
        {
            html.Append("<thead><tr>");
            foreach (var header in table.Headers)
            {
                html.Append("<th>").Append(Encode(header)).Append("</th>");
            }

            html.Append("</tr></thead>\n");
        }

        html.Append("<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var isGenome = i == genomeColumn || (table.IsKeyValue && i == 1 && row[0] == "Genome");
                var (open, close) = table.IsKeyValue && i == 0 ? ("<th scope=\"row\">", "</th>")
                    : isGenome ? ("<td class=\"genome\">", "</td>")
                    : ("<td>", "</td>");
                html.Append(open).Append(Encode(row[i])).Append(close);
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static int IndexOfGenome(IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i] == "Genome")
            {
                return i;
            }
        }

        return -1;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
