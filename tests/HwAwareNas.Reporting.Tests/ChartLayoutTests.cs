using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HwAwareNas.Reporting.Tests;

/// <summary>
/// Checks the geometry of the report's inline SVG charts, read from the SVG itself: no text runs past the figure's
/// edges, no legend covers the data area, and the figure scales instead of being cropped in a narrow page. ScottPlot
/// writes every glyph's x offset, so a text's extent is known up to its last glyph, which is estimated generously.
/// </summary>
[TestClass]
public sealed class ChartLayoutTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Wider than any glyph of the fonts a browser might substitute, in em.</summary>
    private const double LastGlyphWidthEm = 1.0;

    /// <summary>Ascent and descent beyond the baseline, in em, generous for the same reason.</summary>
    private const double AscentEm = 1.0;

    private const double DescentEm = 0.3;

    /// <summary>Room kept between any text and the figure's edge, in pixels: text that touches the edge looks cut.</summary>
    private const double Clearance = 2;

    /// <summary>Edges that merely touch (a legend flush against the data frame) are not an overlap.</summary>
    private const double Tolerance = 0.5;

    [TestMethod]
    [DataRow("feasible")]
    [DataRow("no feasible")]
    public void Charts_KeepTextInsideTheFigureAndLegendsOffTheData(string name)
    {
        var summary = WithBothPredictors(name == "feasible" ? SampleRuns.Feasible() : SampleRuns.NoFeasible());
        var svgs = ChartsOf(summary);
        Assert.HasCount(5, svgs, name + ": front, hypervolume, two predictor scatters and the stage bars");

        // Every problem is collected first, so one run shows all of them.
        var problems = new List<string>();
        var legends = 0;
        foreach (var (svg, index) in svgs.Select((s, i) => (s, i)))
        {
            var chart = $"{name}, chart {index + 1}";
            var root = XDocument.Parse(svg).Root!;
            var width = Number(root.Attribute("width")!.Value);
            var height = Number(root.Attribute("height")!.Value);
            var figure = new Box(0, 0, width, height);
            var textArea = new Box(Clearance, Clearance, width - (2 * Clearance), height - (2 * Clearance));

            // Without a viewBox a browser crops an SVG narrower than its width instead of scaling it.
            var viewBox = string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}");
            if (root.Attribute("viewBox")?.Value != viewBox)
            {
                problems.Add($"{chart}: no viewBox=\"{viewBox}\", a page narrower than the figure crops it");
            }

            foreach (var text in root.Descendants(Svg + "text"))
            {
                var box = TextBox(text);
                if (!textArea.Contains(box))
                {
                    problems.Add($"{chart}: text '{text.Value.Trim()}' at {box} runs past {textArea}, the figure less {Clearance} px");
                }
            }

            // The data area is the largest clip rectangle: every plottable is clipped to it; a legend clips its items
            // to its own, smaller frame.
            var clips = root.Descendants(Svg + "clipPath").Select(c => RectOf(c.Element(Svg + "rect")!)).ToArray();
            var data = clips.MaxBy(c => c.Width * c.Height)!;
            var legendBoxes = clips.Where(c => c.Width * c.Height < data.Width * data.Height)
                .Concat(root.Elements(Svg + "rect").Where(r => r.Attribute("stroke") is not null).Select(RectOf))
                .ToArray();
            foreach (var legend in legendBoxes)
            {
                if (!figure.Contains(legend))
                {
                    problems.Add($"{chart}: legend {legend} runs past the figure {figure}");
                }

                if (legend.Overlaps(data))
                {
                    problems.Add($"{chart}: legend {legend} covers the data area {data}");
                }
            }

            legends += legendBoxes.Length > 0 ? 1 : 0;
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
        Assert.AreEqual(3, legends, name + ": the front and both predictor scatters have a legend, so the check above ran");
    }

    /// <summary>A real run fits an accuracy and a latency predictor; the sample carries only the latter.</summary>
    private static RunSummary WithBothPredictors(RunSummary summary)
    {
        var pairs = summary.Candidates.Select(c => new PredictionPair(c.Accuracy, c.PredictedAccuracy!.Value)).ToArray();
        return summary with
        {
            Predictors = [new PredictorQuality("mlp", "accuracy", "%", 0.71, 0.6, 0.9, 0.2, pairs.Length, pairs), .. summary.Predictors],
        };
    }

    private static string[] ChartsOf(RunSummary summary)
    {
        using var stream = new MemoryStream();
        new HtmlReportExporter().Write(summary, stream);
        var html = Encoding.UTF8.GetString(stream.ToArray());
        return [.. Regex.Matches(html, "<svg\\b.*?</svg>", RegexOptions.Singleline).Select(m => m.Value)];
    }

    /// <summary>
    /// The figure-space bounds of a text drawn by ScottPlot: glyphs at explicit x offsets on one baseline, placed by a
    /// translate() or matrix() transform (the rotated y-axis label).
    /// </summary>
    private static Box TextBox(XElement text)
    {
        Assert.IsNull(text.Attribute("text-anchor"), "glyph offsets are relative to the start of the text");
        var size = Number(text.Attribute("font-size")!.Value);
        var xs = Numbers(text.Attribute("x")?.Value ?? "0");
        var baseline = Numbers(text.Attribute("y")?.Value ?? "0")[0];
        var left = xs.Min();
        var right = xs.Max() + (LastGlyphWidthEm * size);
        var top = baseline - (AscentEm * size);
        var bottom = baseline + (DescentEm * size);

        var (a, b, c, d, e, f) = Transform(text.Attribute("transform")?.Value);
        var corners = new[] { (left, top), (right, top), (left, bottom), (right, bottom) }
            .Select(p => (X: (a * p.Item1) + (c * p.Item2) + e, Y: (b * p.Item1) + (d * p.Item2) + f))
            .ToArray();
        return new Box(corners.Min(p => p.X), corners.Min(p => p.Y), corners.Max(p => p.X) - corners.Min(p => p.X), corners.Max(p => p.Y) - corners.Min(p => p.Y));
    }

    private static (double A, double B, double C, double D, double E, double F) Transform(string? transform)
    {
        if (transform is null)
        {
            return (1, 0, 0, 1, 0, 0);
        }

        var match = Regex.Match(transform, @"^\s*(translate|matrix)\(([^)]*)\)\s*$");
        Assert.IsTrue(match.Success, $"a transform this check understands: {transform}");
        var v = Numbers(match.Groups[2].Value);
        return match.Groups[1].Value == "translate"
            ? (1, 0, 0, 1, v[0], v.Length > 1 ? v[1] : 0)
            : (v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    private static Box RectOf(XElement rect) => new(
        Number(rect.Attribute("x")?.Value ?? "0"),
        Number(rect.Attribute("y")?.Value ?? "0"),
        Number(rect.Attribute("width")!.Value),
        Number(rect.Attribute("height")!.Value));

    private static double[] Numbers(string list) =>
        [.. list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(Number)];

    private static double Number(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed record Box(double X, double Y, double Width, double Height)
    {
        public bool Contains(Box other) =>
            other.X >= X - Tolerance && other.Y >= Y - Tolerance
            && other.X + other.Width <= X + Width + Tolerance && other.Y + other.Height <= Y + Height + Tolerance;

        public bool Overlaps(Box other) =>
            Math.Min(X + Width, other.X + other.Width) - Math.Max(X, other.X) > Tolerance
            && Math.Min(Y + Height, other.Y + other.Height) - Math.Max(Y, other.Y) > Tolerance;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{X:0.#}, {Y:0.#}, {Width:0.#} x {Height:0.#}]");
    }
}
