using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HwAwareNas.Reporting.Tests;

[TestClass]
public sealed class ExporterTests
{
    private static string Render(IReportExporter exporter, RunSummary summary)
    {
        using var stream = new MemoryStream();
        exporter.Write(summary, stream);
        var bytes = stream.ToArray();
        Assert.IsNotEmpty(bytes);
        Assert.AreNotEqual(0xEF, bytes[0], "no byte order mark");
        return Encoding.UTF8.GetString(bytes);
    }

    [TestMethod]
    public void Html_IsSelfContainedWithInlineSvgPlotsAndTheSelectedGenome()
    {
        var summary = SampleRuns.Feasible();
        var html = Render(new HtmlReportExporter(), summary);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatchRegex(new Regex(@"\b(src|href|action)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatchRegex(new Regex(@"<(script|link|iframe|img)\b|@import|url\(\s*['""]?(https?:)?//", RegexOptions.IgnoreCase), html);

        // Front, hypervolume, one predictor scatter and the stage bars, each a well-formed SVG document.
        var svgs = Regex.Matches(html, "<svg\\b.*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToArray();
        Assert.HasCount(4, svgs);
        foreach (var svg in svgs)
        {
            var root = XDocument.Parse(svg).Root!;
            Assert.AreEqual("svg", root.Name.LocalName);
            Assert.IsTrue(root.Descendants().Count() > 20, "the plot has content");
        }

        Assert.Contains("Pareto front: measured vs predicted", svgs[0]);
        Assert.Contains("latency &lt;= 4 ms", svgs[0], "the constraint line is in the legend");
        Assert.Contains("τ = 0.870", svgs[2]);
        Assert.Contains("MAPE = 4.1 %", svgs[2]);

        // Several SVGs share one document, so their clip-path ids must not collide.
        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.HasCount(ids.Distinct().Count(), ids);

        Assert.Contains(WebUtility.HtmlEncode(summary.Selection.Selected!.Genome), html);
        Assert.Contains("Most accurate measured sub-network within every constraint.", html);
        Assert.Contains("a1b2c3d4e5f60718", html);
        Assert.Contains("480 of 500", html);
        Assert.Contains("meets by", html);
        Assert.Contains("Finalists measured a second time", html);
        Assert.Contains("misses a constraint: passed over", html);
        Assert.Contains("Measurement protocol", html);
        Assert.Contains("100 in 5 rounds", html);
    }

    [TestMethod]
    public void Html_EncodesUserStrings()
    {
        var html = Render(new HtmlReportExporter(), SampleRuns.Feasible(SampleRuns.MaliciousDevice));

        Assert.Contains(WebUtility.HtmlEncode(SampleRuns.MaliciousDevice), html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(SampleRuns.MaliciousDevice, html);
    }

    [TestMethod]
    public void Markdown_HasTheSameTablesWithoutImagesAndEscapesCells()
    {
        var summary = SampleRuns.Feasible(SampleRuns.MaliciousDevice);
        var md = Render(new MarkdownReportExporter(), summary);

        StringAssert.StartsWith(md, "# HwAwareNas report: mobilenetv3 on rpi4 &lt;script&gt;");
        foreach (var heading in new[] { "## Selected model", "## Pareto front: measured vs predicted", "## Predictor quality", "## Time per stage", "## Device", "**Verified front**" })
        {
            Assert.Contains(heading, md);
        }

        Assert.Contains("| Genome | Accuracy % | Predicted accuracy % | Latency ms |", md);
        Assert.Contains("| gbdt | latency | 0.870 | 0.950 | 4.10 | 0.120 ms | 6 |", md);
        Assert.Contains("| Validations | 480 of 500 |", md);
        Assert.Contains(summary.Selection.Selected!.Genome.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal), md);
        Assert.DoesNotContain("<script", md);
        Assert.DoesNotContain("<svg", md);

        // Every row of a table has as many unescaped cell separators as its header.
        var device = md.Split('\n').Where(l => l.StartsWith("| Name |", StringComparison.Ordinal)).Single();
        Assert.AreEqual(3, Regex.Matches(device, @"(?<!\\)\|").Count, device);
    }

    [TestMethod]
    public void Json_ParsesBackWithSchemaVersionAndSelectedGenome()
    {
        var summary = SampleRuns.Feasible();
        var previous = CultureInfo.CurrentCulture;
        string text;
        try
        {
            // A comma decimal separator must not leak into the file.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            text = Render(new JsonResultsExporter(), summary);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.AreEqual(JsonResultsExporter.SchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        Assert.AreEqual("schemaVersion", root.EnumerateObject().First().Name);
        Assert.AreEqual("success", root.GetProperty("outcome").GetString());
        Assert.AreEqual(450, root.GetProperty("durationSeconds").GetDouble(), 1e-9);

        var selection = root.GetProperty("selection");
        Assert.IsTrue(selection.GetProperty("feasible").GetBoolean());
        var selected = selection.GetProperty("selected");
        Assert.AreEqual(summary.Selection.Selected!.Genome, selected.GetProperty("genome").GetString());
        Assert.AreEqual(summary.Selection.Selected.Accuracy, selected.GetProperty("accuracy").GetDouble());
        Assert.AreEqual(150, selected.GetProperty("latency").GetProperty("runs").GetInt32());
        Assert.AreEqual("atMost", selection.GetProperty("margins")[0].GetProperty("constraint").GetProperty("comparison").GetString());
        var confirmations = selection.GetProperty("confirmations");
        Assert.AreEqual(2, confirmations.GetArrayLength());
        Assert.IsFalse(confirmations[0].GetProperty("passed").GetBoolean());
        var second = summary.Selection.Confirmations[1];
        Assert.AreEqual(second.SecondLatencyMs, confirmations[1].GetProperty("confirmedLatencyMs").GetDouble(), "the worse of the two");

        Assert.AreEqual(12, root.GetProperty("candidates").GetArrayLength());
        Assert.AreEqual(summary.VerifiedFront.Count, root.GetProperty("verifiedFront").GetArrayLength());
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("candidates")[1].GetProperty("latency").ValueKind);
        Assert.AreEqual("Intel(R) Xeon(R) Platinum 8370C", root.GetProperty("device").GetProperty("fingerprint").GetProperty("cpu").GetString());
        Assert.AreEqual("p10", root.GetProperty("device").GetProperty("measurement").GetProperty("latency statistic").GetString());
        Assert.AreEqual(0.87, root.GetProperty("predictors")[0].GetProperty("kendallTau").GetDouble());
        Assert.AreEqual(6, root.GetProperty("predictors")[0].GetProperty("pairs").GetArrayLength());
        Assert.AreEqual(600, root.GetProperty("search").GetProperty("wallTimeLimitSeconds").GetDouble());
        Assert.AreEqual(7, root.GetProperty("stages").GetArrayLength());

        // Same summary, same bytes: the order of properties and elements is stable.
        Assert.AreEqual(text, Render(new JsonResultsExporter(), summary));
    }

    [TestMethod]
    public void BudgetsAndStageTimesAppearInEveryReport()
    {
        var summary = SampleRuns.Feasible() with
        {
            Search = SampleRuns.Feasible().Search with
            {
                ValidationsUsed = 40,
                StopReason = "constraints met",
                StopWhenMet = new StopWhenMetSummary(Enabled: true, Triggered: true, ValidationsWhenMet: 33),
            },
        };
        var html = Render(new HtmlReportExporter(), summary);
        var md = Render(new MarkdownReportExporter(), summary);
        using var json = JsonDocument.Parse(Render(new JsonResultsExporter(), summary));

        foreach (var text in new[] { html, md })
        {
            Assert.Contains("40 of 500", text);
            Assert.Contains("95.5 s of 600.0 s", text);
            Assert.Contains("on, triggered: the search stopped", text);
            Assert.Contains("at validation 33", text);
            foreach (var stage in summary.Stages)
            {
                Assert.Contains(stage.Stage, text);
            }

            Assert.Contains("480 sub-networks evaluated live", text);
            Assert.Contains("31.1 %", text, "Profile's 140 s of the 450 s run");
            Assert.Contains("The stages account for 433.5 s of the 450.0 s run.", text);
        }

        var search = json.RootElement.GetProperty("search");
        Assert.AreEqual(40, search.GetProperty("validationsUsed").GetInt32());
        Assert.AreEqual(500, search.GetProperty("validationBudget").GetInt32());
        Assert.AreEqual(95.5, search.GetProperty("wallTimeSeconds").GetDouble());
        var stop = search.GetProperty("stopWhenMet");
        Assert.IsTrue(stop.GetProperty("enabled").GetBoolean());
        Assert.IsTrue(stop.GetProperty("triggered").GetBoolean());
        Assert.AreEqual(33, stop.GetProperty("validationsWhenMet").GetInt32());
        var stages = json.RootElement.GetProperty("stages");
        CollectionAssert.AreEqual(
            new[] { "Train", "Profile", "Fit", "Search", "Verify", "Export", "Report" },
            stages.EnumerateArray().Select(t => t.GetProperty("stage").GetString()).ToArray());
        Assert.AreEqual(140, stages[1].GetProperty("seconds").GetDouble());
        Assert.AreEqual("10 predictor fits", stages[2].GetProperty("detail").GetString());

        var off = Render(new MarkdownReportExporter(), SampleRuns.Feasible() with
        {
            Search = SampleRuns.Feasible().Search with { StopWhenMet = new StopWhenMetSummary(false, false, null) },
        });
        Assert.Contains("| Stop when constraints met | off |", off);
        Assert.Contains("| Constraints first met | by no measured sub-network |", off);
    }

    [TestMethod]
    public void UniformBaselinesAreComparedWithTheSelectionAtTheWorseOfTheirLatencies()
    {
        var summary = SampleRuns.Feasible();
        var chosen = summary.Selection.Selected!;
        BaselineSummary Baseline(int level, double accuracy, double latency, double second) => new(
            level, 3, chosen with { Genome = $"{{\"uniform\":{level}}}", Accuracy = accuracy, LatencyMs = latency }, second,
            [new ConstraintMargin(SampleRuns.LatencyBudget, Math.Max(latency, second))]);
        summary = summary with
        {
            Baselines =
            [
                Baseline(1, chosen.Accuracy - 1.5, 1.0, 1.1),
                Baseline(2, chosen.Accuracy - 0.75, 3.9, 4.1),
                Baseline(3, chosen.Accuracy + 2, 9.0, 9.0),
            ],
        };

        var markdown = Render(new MarkdownReportExporter(), summary);
        using var json = JsonDocument.Parse(Render(new JsonResultsExporter(), summary));

        // Level 2 met the budget on its first measurement only: held to 4.1 ms it does not, so level 1 is the baseline.
        StringAssert.Contains(markdown, "the selected sub-network is 1.50 points more accurate than the best uniformly scaled one that meets every constraint, uniform 1/3 (smallest)");
        StringAssert.Contains(markdown, "| uniform 2/3 | {\"uniform\":2} | ");
        var baselines = json.RootElement.GetProperty("baselines");
        Assert.AreEqual(3, baselines.GetArrayLength());
        Assert.AreEqual(
            "True,False,False", string.Join(',', baselines.EnumerateArray().Select(b => b.GetProperty("feasible").GetBoolean())));
        Assert.AreEqual(4.1, baselines[1].GetProperty("heldLatencyMs").GetDouble());
        Assert.AreEqual("uniform 3/3 (largest)", baselines[2].GetProperty("name").GetString());
    }

    [TestMethod]
    public void TheSearchSectionSaysWhichSettingsRan()
    {
        const string Settings = "concurrent, acquisition ehvi: first batch 20, then 10 per round";
        var run = SampleRuns.Feasible() with { Search = SampleRuns.Feasible().Search with { Settings = Settings } };

        Assert.Contains($"| Settings | {Settings} |", Render(new MarkdownReportExporter(), run));
        Assert.Contains("| Settings | – |", Render(new MarkdownReportExporter(), SampleRuns.Feasible() with
        {
            Search = SampleRuns.Feasible().Search with { Settings = null },
        }));
    }

    [TestMethod]
    public void Csv_QuotesTheGenomeJsonAndParsesBack()
    {
        var summary = SampleRuns.Feasible();
        var rows = ParseCsv(Render(new CsvParetoExporter(), summary));

        CollectionAssert.AreEqual(
            new[] { "genome", "accuracy", "latency_ms", "latency_median_ms", "latency_p90_ms", "latency_stdev_ms", "runs", "predicted_accuracy", "predicted_latency_ms", "params", "macs", "size_bytes", "origin", "selected" },
            rows[0]);
        Assert.HasCount(summary.VerifiedFront.Count + 1, rows);
        var expected = summary.VerifiedFront.OrderBy(c => c.LatencyMs).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            var row = rows[i + 1];
            Assert.HasCount(14, row);
            Assert.AreEqual(expected[i].Genome, row[0]);
            Assert.AreEqual(expected[i].Accuracy, double.Parse(row[1], CultureInfo.InvariantCulture));
            Assert.AreEqual(expected[i].LatencyMs, double.Parse(row[2], CultureInfo.InvariantCulture));
            Assert.AreEqual("measured", row[12]);
        }

        var selected = rows.Skip(1).Where(r => r[13] == "true").ToArray();
        Assert.HasCount(1, selected);
        Assert.AreEqual(summary.Selection.Selected!.Genome, selected[0][0]);
    }

    [TestMethod]
    public void NoFeasible_ReportsShowTheNearestCandidatesAndTheirMisses()
    {
        var summary = SampleRuns.NoFeasible();
        var html = Render(new HtmlReportExporter(), summary);
        var md = Render(new MarkdownReportExporter(), summary);
        using var json = JsonDocument.Parse(Render(new JsonResultsExporter(), summary));

        Assert.Contains("<h2>No feasible sub-network</h2>", html);
        Assert.Contains("Nearest candidates", html);
        foreach (var near in summary.Selection.Nearest)
        {
            Assert.Contains(WebUtility.HtmlEncode(near.Candidate.Genome), html);
            var miss = near.Candidate.LatencyMs - 1.5;
            Assert.Contains("misses by " + miss.ToString("F2", CultureInfo.InvariantCulture) + " ms", html);
            Assert.Contains("misses by " + miss.ToString("F2", CultureInfo.InvariantCulture) + " ms", md);
        }

        Assert.Contains("nearest miss", html, "the front plot marks the nearest candidates");
        Assert.Contains("## No feasible sub-network", md);
        Assert.Contains("**Nearest candidates**", md);

        var selection = json.RootElement.GetProperty("selection");
        Assert.AreEqual("noFeasibleModel", json.RootElement.GetProperty("outcome").GetString());
        Assert.AreEqual(4, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.IsFalse(selection.GetProperty("feasible").GetBoolean());
        Assert.AreEqual(JsonValueKind.Null, selection.GetProperty("selected").ValueKind);
        Assert.AreEqual(2, selection.GetProperty("nearest").GetArrayLength());
        Assert.IsFalse(selection.GetProperty("nearest")[0].GetProperty("margins")[0].GetProperty("met").GetBoolean());

        var csv = ParseCsv(Render(new CsvParetoExporter(), summary));
        Assert.IsTrue(csv.Skip(1).All(r => r[13] == "false"));
    }

    [TestMethod]
    public void Exporters_HandleAnEmptyRunAndUndefinedMetrics()
    {
        var summary = SampleRuns.NoFeasible() with
        {
            Candidates = [],
            PredictedFront = [],
            VerifiedFront = [],
            Hypervolume = [],
            Stages = [],
            Predictors = [new PredictorQuality("ridge", "latency", "ms", double.NaN, 0, double.NaN, 0, 0, [])],
            Selection = new SelectionSummary("max-accuracy", null, "Nothing was evaluated.", [], [], []),
        };

        var html = Render(new HtmlReportExporter(), summary);
        Assert.DoesNotContain("<svg", html, "no plot is drawn without data");
        Assert.Contains("<td>n/a</td>", html);
        Assert.Contains("Nothing was evaluated.", html);

        using var json = JsonDocument.Parse(Render(new JsonResultsExporter(), summary));
        var predictor = json.RootElement.GetProperty("predictors")[0];
        Assert.AreEqual(JsonValueKind.Null, predictor.GetProperty("kendallTau").ValueKind);
        Assert.AreEqual(0, json.RootElement.GetProperty("candidates").GetArrayLength());

        Assert.HasCount(1, ParseCsv(Render(new CsvParetoExporter(), summary)));
        Assert.Contains("_none_", Render(new MarkdownReportExporter(), summary));
    }

    /// <summary>An RFC 4180 reader, independent of the exporter's code.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
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
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.IsFalse(quoted, "unterminated quote");
        Assert.AreEqual(0, field.Length + fields.Count, "the last row ends with a line break");
        return rows;
    }
}
