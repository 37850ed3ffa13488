using System.Collections.Concurrent;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.OfaBench;

/// <summary>A candidate accuracy model for the oracle: a predictor on an encoding, by the predictor factory's names.</summary>
/// <param name="Predictor">Predictor name (<c>ridge</c>, <c>gbdt</c>, ...).</param>
/// <param name="Encoding">Encoding name (<c>onehot</c>, <c>fcc</c>, ...).</param>
internal sealed record OracleModel(string Predictor, string Encoding)
{
    /// <summary>The models the oracle tries: DyNAS-T's ridge on two encodings and gradient-boosted trees.</summary>
    public static IReadOnlyList<OracleModel> Candidates { get; } =
        [new("ridge", "onehot"), new("ridge", "fcc"), new("gbdt", "onehot"), new("gbdt", "fcc")];

    /// <inheritdoc />
    public override string ToString() => $"{Predictor} on {Encoding}";
}

/// <summary>How well one candidate model predicted the held-out logged sub-networks.</summary>
/// <param name="Model">The model.</param>
/// <param name="Quality">Kendall τ, MAPE (a fraction), ... on the held-out part.</param>
/// <param name="Chosen">Whether the oracle answers with this model.</param>
internal sealed record OracleModelQuality(OracleModel Model, PredictionQuality Quality, bool Chosen);

/// <summary>
/// A fixed ImageNet top-1 for every OFA MobileNetV3 w1.0 sub-network: a logged sub-network answers with its logged value
/// (the mean if logged more than once); any other with a model fitted once on all logs. The model is the candidate with
/// the best Kendall τ on a seeded held-out split (<see cref="HeldOutShare"/> of the logs), then refitted on all of them;
/// the same logs and seed give the same oracle.
/// </summary>
internal sealed class OfaAccuracyOracle : IDisposable
{
    /// <summary>Share of the logs held out to choose and report the model.</summary>
    public const double HeldOutShare = 0.2;

    private readonly ISearchSpace _space;
    private readonly Dictionary<Genome, double> _logged;
    private readonly GenomePredictor _model;
    private readonly ConcurrentDictionary<Genome, double> _predicted = new();

    // Searches may run side by side; the model (ML.NET's trees among them) predicts one batch at a time.
    private readonly Lock _predicting = new();

    private OfaAccuracyOracle(ISearchSpace space, IReadOnlyList<LoggedSubnet> logs, GenomePredictor model, IReadOnlyList<OracleModelQuality> quality, int seed)
    {
        _space = space;
        _logged = logs.ToDictionary(l => l.Genome, l => l.Accuracy);
        _model = model;
        Quality = quality;
        Seed = seed;
        LoggedCount = logs.Count;
        HeldOutCount = (int)Math.Round(logs.Count * HeldOutShare);
    }

    /// <summary>Every candidate's held-out quality, the chosen one marked.</summary>
    public IReadOnlyList<OracleModelQuality> Quality { get; }

    /// <summary>The chosen model.</summary>
    public OracleModel Model => Quality.Single(q => q.Chosen).Model;

    /// <summary>The seed of the split and of the models.</summary>
    public int Seed { get; }

    /// <summary>Distinct logged sub-networks.</summary>
    public int LoggedCount { get; }

    /// <summary>Logged sub-networks held out to choose the model.</summary>
    public int HeldOutCount { get; }

    /// <summary>
    /// Fits the oracle on <paramref name="logs"/> (at least 10 sub-networks): every model of <paramref name="candidates"/>
    /// (default <see cref="OracleModel.Candidates"/>) on the seeded split, the best held-out τ refitted on all logs.
    /// </summary>
    public static OfaAccuracyOracle Fit(ISearchSpace space, IReadOnlyList<LoggedSubnet> logs, int seed, IReadOnlyList<OracleModel>? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.Count < 10)
        {
            throw new ArgumentException($"The accuracy oracle needs at least 10 logged sub-networks, not {logs.Count}.", nameof(logs));
        }

        // Seeded shuffle of the logs in their canonical order, so the split does not depend on the files' order.
        var ordered = logs.OrderBy(l => l.Genome.Key, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(ordered);
        var heldOut = (int)Math.Round(ordered.Length * HeldOutShare);
        var test = ordered[..heldOut];
        var train = ordered[heldOut..];
        var results = new List<(OracleModel Model, PredictionQuality Quality)>();
        foreach (var model in candidates ?? OracleModel.Candidates)
        {
            using var predictor = Create(space, model, seed);
            predictor.Fit([.. train.Select(l => l.Genome)], [.. train.Select(l => l.Accuracy)]);
            results.Add((model, predictor.Evaluate([.. test.Select(l => l.Genome)], [.. test.Select(l => l.Accuracy)])));
        }

        var best = results.OrderByDescending(r => r.Quality.KendallTau).First().Model;
        var chosen = Create(space, best, seed);
        chosen.Fit([.. ordered.Select(l => l.Genome)], [.. ordered.Select(l => l.Accuracy)]);
        return new OfaAccuracyOracle(space, logs, chosen, [.. results.Select(r => new OracleModelQuality(r.Model, r.Quality, r.Model == best))], seed);
    }

    /// <summary>Whether <paramref name="genome"/> (canonicalized) is a logged sub-network.</summary>
    public bool IsLogged(Genome genome) => _logged.ContainsKey(_space.Canonicalize(genome));

    /// <summary>Top-1 of <paramref name="genome"/> as a fraction: the logged value, else the model's (clamped to [0, 1]).</summary>
    public double Accuracy(Genome genome) => Accuracies([genome])[0];

    /// <summary>
    /// Top-1 of every genome as a fraction (see <see cref="Accuracy"/>); genomes neither logged nor asked for before are
    /// predicted in one call, which is what makes tree models affordable here.
    /// </summary>
    public IReadOnlyList<double> Accuracies(IReadOnlyList<Genome> genomes)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var canonical = genomes.Select(_space.Canonicalize).ToList();
        var missing = canonical.Where(g => !_logged.ContainsKey(g) && !_predicted.ContainsKey(g)).Distinct().ToList();
        if (missing.Count > 0)
        {
            lock (_predicting)
            {
                var predicted = _model.Predict(missing);
                for (var i = 0; i < missing.Count; i++)
                {
                    _predicted[missing[i]] = Math.Clamp(predicted[i], 0, 1);
                }
            }
        }

        return [.. canonical.Select(g => _logged.TryGetValue(g, out var logged) ? logged : _predicted[g])];
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    // The oracle scores candidates on its own held-out split; the predictors' internal cross-validation would only repeat the fits.
    private static GenomePredictor Create(ISearchSpace space, OracleModel model, int seed) =>
        GenomePredictor.Create(space, model.Predictor, model.Encoding, new PredictorOptions { Seed = seed, CrossValidate = false });
}
