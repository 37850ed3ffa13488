using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Encodings;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Torch.Predictors;

namespace HwAwareNas.Tool.Predictors;

/// <summary>One cross-validated predictor × encoding pairing.</summary>
/// <param name="Predictor">Predictor name.</param>
/// <param name="Encoding">Encoding name.</param>
/// <param name="Quality">Out-of-fold quality.</param>
/// <param name="FitSeconds">Mean wall time of one fold's fit and prediction.</param>
internal sealed record PredictorScore(string Predictor, string Encoding, PredictionQuality Quality, double FitSeconds);

/// <summary>
/// Cross-validates predictors side by side on the same folds, so <c>predictors evaluate</c> and
/// <c>predictors fit --predictor auto</c> compare them the same way.
/// </summary>
internal static class PredictorComparison
{
    // NaN τ (constant predictions on a fold) must serialize rather than throw.
    private static readonly JsonSerializerOptions JsonOptions =
        new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The predictors compared when none are named.</summary>
    public static IReadOnlyList<string> DefaultPredictors { get; } =
        ["ridge", "gbdt", "ridge-gbdt", "lut", MlpPredictor.PredictorName, MlpPredictor.SmallPredictorName];

    /// <summary>A factory that knows the built-in predictors and the TorchSharp MLPs.</summary>
    public static PredictorFactory CreateFactory()
    {
        var factory = new PredictorFactory();
        MlpPredictor.Register(factory);
        return factory;
    }

    /// <summary>Splits a comma-separated list; null or empty gives <paramref name="fallback"/>.</summary>
    public static IReadOnlyList<string> SplitList(string? text, IReadOnlyList<string> fallback) =>
        string.IsNullOrWhiteSpace(text)
            ? fallback
            : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>
    /// The pairings to compare: each predictor with its default encoding for <paramref name="space"/> when
    /// <paramref name="encodings"/> is empty, with every encoding for <c>all</c>, else with each named one.
    /// </summary>
    /// <exception cref="HwNasException">An unknown predictor or encoding name (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public static IReadOnlyList<(string Predictor, string Encoding)> Pairings(
        PredictorFactory factory, IReadOnlyList<string> predictors, string? encodings, ISearchSpace space)
    {
        var unknown = predictors.FirstOrDefault(p => !factory.Names.Contains(p, StringComparer.OrdinalIgnoreCase) || p.Equals("auto", StringComparison.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw new HwNasException(
                $"Unknown predictor '{unknown}'; expected one of: {string.Join(", ", DefaultPredictors)}.", ExitCode.BadConfig);
        }

        var named = string.Equals(encodings?.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? GenomeEncodings.Names
            : SplitList(encodings, []);
        foreach (var encoding in named)
        {
            if (!GenomeEncodings.Names.Contains(encoding, StringComparer.OrdinalIgnoreCase))
            {
                throw new HwNasException(
                    $"Unknown encoding '{encoding}'; expected 'all' or some of: {string.Join(", ", GenomeEncodings.Names)}.", ExitCode.BadConfig);
            }
        }

        return [.. predictors.SelectMany(p => named.Count == 0
            ? [(p.ToLowerInvariant(), GenomeEncodings.DefaultFor(p, space))]
            : named.Select(e => (p.ToLowerInvariant(), e.ToLowerInvariant())))];
    }

    /// <summary>
    /// Cross-validates every pairing on the same seeded folds; <paramref name="progress"/>, when given, gets one line per
    /// finished pairing (k of N, its τ, time and an estimate of the rest), since MLP folds can take minutes.
    /// </summary>
    public static IReadOnlyList<PredictorScore> Evaluate(
        PredictorData data,
        PredictorFactory factory,
        IReadOnlyList<(string Predictor, string Encoding)> pairings,
        int folds,
        int seed,
        Action<string>? progress = null)
    {
        data.RequireFolds(folds);
        var scores = new List<PredictorScore>();
        var total = Stopwatch.StartNew();
        foreach (var (predictor, encodingName) in pairings)
        {
            var encoding = GenomeEncodings.Create(encodingName, data.Family);
            var features = data.Genomes.Select(encoding.Encode).ToArray();
            var options = new PredictorOptions { Encoding = encoding.Name, Seed = seed, Folds = folds, CrossValidate = false };
            var clock = Stopwatch.StartNew();
            var quality = CrossValidation.Evaluate(() => factory.Create(predictor, options), features, data.Values, folds, seed);
            scores.Add(new PredictorScore(predictor, encoding.Name, quality, clock.Elapsed.TotalSeconds / Math.Min(folds, features.Length)));
            var remaining = total.Elapsed / scores.Count * (pairings.Count - scores.Count);
            progress?.Invoke(string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: predictors {scores.Count}/{pairings.Count} {predictor} ({encoding.Name}): tau {quality.KendallTau:0.000}, {clock.Elapsed.TotalSeconds:0.0} s; ETA {remaining:hh\\:mm\\:ss}"));
        }

        return scores;
    }

    /// <summary>The scores as an aligned text table, one row per pairing.</summary>
    public static string ToTable(IReadOnlyList<PredictorScore> scores)
    {
        string[] header = ["predictor", "encoding", "n", "kendall_tau", "spearman_rho", "mape_%", "rmse", "within_5%", "within_10%", "fit_s"];
        var rows = scores.Select(s => new[]
        {
            s.Predictor,
            s.Encoding,
            Format(s.Quality.Count, "D"),
            Format(s.Quality.KendallTau, "F3"),
            Format(s.Quality.SpearmanRho, "F3"),
            Format(s.Quality.Mape * 100, "F2"),
            Format(s.Quality.Rmse, "G4"),
            Format(s.Quality.Within5Percent * 100, "F1"),
            Format(s.Quality.Within10Percent * 100, "F1"),
            Format(s.FitSeconds, "F2"),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            // Names left-aligned, numbers right-aligned, so columns of figures line up on their digits.
            text.AppendJoin("  ", row.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).Append(Environment.NewLine);
        }

        return text.ToString();
    }

    /// <summary>The scores as a JSON array, fractions kept as fractions.</summary>
    public static string ToJson(IReadOnlyList<PredictorScore> scores) =>
        JsonSerializer.Serialize(scores.Select(s => new
        {
            predictor = s.Predictor,
            encoding = s.Encoding,
            n = s.Quality.Count,
            kendall_tau = s.Quality.KendallTau,
            spearman_rho = s.Quality.SpearmanRho,
            mape = s.Quality.Mape,
            rmse = s.Quality.Rmse,
            within_5 = s.Quality.Within5Percent,
            within_10 = s.Quality.Within10Percent,
            fit_seconds = s.FitSeconds,
        }), JsonOptions);

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Format(int value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
