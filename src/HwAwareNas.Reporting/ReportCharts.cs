using System.Globalization;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Evaluation;
using ScottPlot;

namespace HwAwareNas.Reporting;

/// <summary>
/// Draws the report's plots with ScottPlot and returns them as SVG markup ready to inline into HTML. Rendering errors
/// propagate: a report missing its plots must fail loudly rather than ship silently incomplete.
/// </summary>
internal static partial class ReportCharts
{
    private const int Width = 720;
    private const int Height = 420;
    private const float EdgePadding = 5;
    private const float RightAxisSize = 30;

    private static readonly Color Neutral = Color.FromHex("#9e9e9e");
    private static readonly Color Predicted = Color.FromHex("#1f77b4");
    private static readonly Color Verified = Color.FromHex("#ff7f0e");
    private static readonly Color Chosen = Color.FromHex("#d62728");

    /// <summary>Every candidate, both fronts, the selected model and the constraint bounds, latency against accuracy.</summary>
    public static string Front(RunSummary summary, string idPrefix)
    {
        var plot = new Plot();
        AddPoints(plot, summary.Candidates, "evaluated", Neutral, 4, MarkerShape.FilledCircle, connect: false);
        AddPoints(plot, summary.PredictedFront, "predicted front", Predicted, 7, MarkerShape.OpenCircle, connect: true);
        AddPoints(plot, summary.VerifiedFront, "measured front", Verified, 7, MarkerShape.FilledSquare, connect: true);
        if (summary.Selection.Selected is { } chosen)
        {
            AddPoints(plot, [chosen], "selected", Chosen, 14, MarkerShape.FilledDiamond, connect: false);
        }

        AddPoints(plot, [.. summary.Selection.Nearest.Select(n => n.Candidate)], "nearest miss", Chosen, 10, MarkerShape.OpenDiamond, connect: false);

        foreach (var constraint in summary.Constraints)
        {
            var label = ReportFormatting.Constraint(constraint);
            if (IsObjective(constraint, Objective.Latency))
            {
                var line = plot.Add.VerticalLine(constraint.Bound);
                Style(line, label);
            }
            else if (IsObjective(constraint, Objective.Accuracy))
            {
                var line = plot.Add.HorizontalLine(constraint.Bound);
                Style(line, label);
            }
        }

        plot.Title("Pareto front: measured vs predicted");
        plot.XLabel("latency (ms)");
        plot.YLabel("top-1 accuracy (%)");
        ShowLegendOutside(plot);
        return Render(plot, idPrefix);
    }

    /// <summary>Hypervolume of the front against the number of validations spent.</summary>
    public static string Hypervolume(IReadOnlyList<HypervolumePoint> history, string idPrefix)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(
            history.Select(p => (double)p.Validations).ToArray(),
            history.Select(p => p.Hypervolume).ToArray());

        // No legend: the one series is already named by the y-axis label.
        line.Color = Predicted;
        plot.Title("Hypervolume vs validations");
        plot.XLabel("validations");
        plot.YLabel("hypervolume");
        return Render(plot, idPrefix);
    }

    /// <summary>Held-out actual against predicted values of one predictor, with the ideal diagonal.</summary>
    public static string Predictor(PredictorQuality quality, string idPrefix)
    {
        var plot = new Plot();
        var actual = quality.Pairs.Select(p => p.Actual).ToArray();
        var predicted = quality.Pairs.Select(p => p.Predicted).ToArray();
        var points = plot.Add.ScatterPoints(actual, predicted, Predicted);
        points.LegendText = $"τ = {ReportFormatting.Number(quality.KendallTau, 3)}, MAPE = {ReportFormatting.Number(quality.MapePercent, 1)} %";
        points.MarkerSize = 6;
        if (actual.Length > 0)
        {
            var low = Math.Min(actual.Min(), predicted.Min());
            var high = Math.Max(actual.Max(), predicted.Max());
            var diagonal = plot.Add.Line(low, low, high, high);
            diagonal.LegendText = "ideal";
            diagonal.Color = Neutral;
            diagonal.LinePattern = LinePattern.Dashed;
        }

        var unit = string.IsNullOrEmpty(quality.Unit) ? string.Empty : $" ({quality.Unit})";
        plot.Title($"{quality.Name}: {quality.Target}, τ {ReportFormatting.Number(quality.KendallTau, 3)}, MAPE {ReportFormatting.Number(quality.MapePercent, 1)} %");
        plot.XLabel("measured" + unit);
        plot.YLabel("predicted" + unit);
        ShowLegendOutside(plot);
        return Render(plot, idPrefix);
    }

    /// <summary>Seconds spent per pipeline stage as bars.</summary>
    public static string Stages(IReadOnlyList<StageTiming> stages, string idPrefix)
    {
        var plot = new Plot();
        var bars = plot.Add.Bars(stages.Select(s => s.Duration.TotalSeconds).ToArray());
        bars.Color = Predicted;
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, stages.Count).Select(i => (double)i).ToArray(),
            stages.Select(s => s.Stage).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title("Time per stage");
        plot.YLabel("seconds");
        return Render(plot, idPrefix);
    }

    /// <summary>
    /// A legend inside the data area hides whichever points fall under it, and where they fall depends on the run, so
    /// it goes in a panel on the right edge of the figure, beside the data area.
    /// </summary>
    private static void ShowLegendOutside(Plot plot) => plot.ShowLegend(Edge.Right);

    private static bool IsObjective(ConstraintSummary constraint, Objective objective) =>
        string.Equals(constraint.ObjectiveName, objective.Name, StringComparison.OrdinalIgnoreCase);

    private static void Style(ScottPlot.Plottables.AxisLine line, string label)
    {
        line.LegendText = label;
        line.Color = Chosen;
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
    }

    private static void AddPoints(Plot plot, IReadOnlyList<CandidateSummary> candidates, string label, Color color, float size, MarkerShape shape, bool connect)
    {
        if (candidates.Count == 0)
        {
            return;
        }

        var ordered = candidates.OrderBy(c => c.LatencyMs).ToArray();
        var scatter = plot.Add.Scatter(ordered.Select(c => c.LatencyMs).ToArray(), ordered.Select(c => c.Accuracy).ToArray(), color);
        scatter.LegendText = label;
        scatter.MarkerSize = size;
        scatter.MarkerShape = shape;
        scatter.LineWidth = connect ? 1.5f : 0;
    }

    /// <summary>
    /// Strips the XML prologue, adds a viewBox and prefixes element ids. Without a viewBox a browser crops an SVG
    /// that the page's <c>max-width: 100%</c> makes narrower than its width (cutting the title and the axis labels)
    /// instead of scaling it. Several SVGs inlined into one document share one id space, and ScottPlot numbers its
    /// clip paths the same way in every plot.
    /// </summary>
    private static string Render(Plot plot, string idPrefix)
    {
        // ScottPlot leaves about 1 px between the rotated y-axis label and the figure's edge, so a browser font with a
        // taller ascent than the one ScottPlot measured with touches or crosses the edge.
        ((ScottPlot.AxisPanels.AxisBase)plot.Axes.Left).PaddingOutsideAxisLabels = new PixelPadding(EdgePadding, EdgePadding);

        // The empty right axis is 15 px wide by default, while the last x tick label, centred on the data area's right
        // edge, reaches half its width past it: "1000" validations would touch the figure's edge.
        plot.Axes.Right.MinimumSize = RightAxisSize;

        var svg = plot.GetSvgXml(Width, Height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("ScottPlot returned no <svg> element.");
        }

        svg = string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\"{svg[(start + "<svg".Length)..]}");
        svg = IdAttribute().Replace(svg, m => $"id=\"{idPrefix}{m.Groups[1].Value}\"");
        svg = LocalReference().Replace(svg, m => $"{m.Groups[1].Value}#{idPrefix}{m.Groups[2].Value}");
        return svg;
    }

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("(url\\(|href=\")#([^\")]+)")]
    private static partial Regex LocalReference();
}
