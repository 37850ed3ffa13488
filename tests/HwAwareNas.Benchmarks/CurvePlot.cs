using System.Globalization;
using System.Net;
using System.Text;

namespace HwAwareNas.Benchmarks;

/// <summary>One strategy's curve: mean and standard deviation over seeds at each x.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="Mean">Mean per x.</param>
/// <param name="Stdev">Standard deviation per x.</param>
internal sealed record CurveSeries(string Name, IReadOnlyList<double> Mean, IReadOnlyList<double> Stdev);

/// <summary>A self-contained SVG line chart of mean ± stdev bands (no plotting library: the file opens anywhere).</summary>
internal static class CurvePlot
{
    private const int Width = 760;
    private const int Height = 440;
    private const int Left = 64;
    private const int Right = 170;
    private const int Top = 36;
    private const int Bottom = 52;

    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The chart: <paramref name="x"/> ascending, every series with one value per x; y spans the data and 1.</summary>
    public static string Svg(string title, string xLabel, string yLabel, IReadOnlyList<int> x, IReadOnlyList<CurveSeries> series)
    {
        var low = series.SelectMany(s => s.Mean.Select((m, i) => m - s.Stdev[i])).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var yMin = Math.Floor(Math.Max(0, low) * 20) / 20;
        const double yMax = 1.0;
        double X(double v) => Left + ((v - x[0]) / Math.Max(1, x[^1] - x[0]) * (Width - Left - Right));
        double Y(double v) => Top + ((yMax - Math.Clamp(v, yMin, yMax)) / Math.Max(1e-9, yMax - yMin) * (Height - Top - Bottom));
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>\n");

        // Grid and ticks: y every 0.05 (0.1 when the span is wide), x at every budget.
        var step = yMax - yMin > 0.5 ? 0.1 : 0.05;
        for (var v = yMin; v <= yMax + 1e-9; v += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{v:F2}</text>\n");
        }

        foreach (var v in x)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(v))}\" x2=\"{F(X(v))}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom + 4}\" stroke=\"#333\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(v))}\" y=\"{Height - Bottom + 17}\" text-anchor=\"middle\">{v}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(yLabel)}</text>\n");

        for (var s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var mean = series[s].Mean;
            var sd = series[s].Stdev;
            var upper = x.Select((v, i) => $"{F(X(v))},{F(Y(mean[i] + sd[i]))}");
            var lower = x.Select((v, i) => $"{F(X(v))},{F(Y(mean[i] - sd[i]))}").Reverse();
            svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', x.Select((v, i) => $"{F(X(v))},{F(Y(mean[i]))}"))}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            var legendY = Top + 10 + (s * 20);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 12}\" x2=\"{Width - Right + 36}\" y1=\"{legendY}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 42}\" y=\"{legendY + 4}\">{WebUtility.HtmlEncode(series[s].Name)}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }
}
