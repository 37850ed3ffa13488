using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Datasets;

/// <summary>
/// ESM's dataset loop: measure an initial (depth-balanced) sample, fit, score every depth bin by cross-validation,
/// and extend with samples drawn from the bins under the threshold (more for larger shortfalls) until every bin
/// meets it or the budget is spent. The measuring function is the caller's, so it can be the live profiler behind
/// the results store.
/// </summary>
public sealed class EsmDatasetBuilder
{
    private const int DrawAttemptsPerSample = 50;

    private readonly ISearchSpace _space;
    private readonly Func<GenomePredictor> _createPredictor;
    private readonly EsmDatasetOptions _options;
    private readonly DepthBalancedSampler _sampler;

    /// <summary>Creates a builder.</summary>
    /// <param name="space">The search space to sample.</param>
    /// <param name="createPredictor">Creates an untrained predictor (called per fold and once at the end).</param>
    /// <param name="options">Loop settings.</param>
    public EsmDatasetBuilder(ISearchSpace space, Func<GenomePredictor> createPredictor, EsmDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(createPredictor);
        _space = space;
        _createPredictor = createPredictor;
        _options = options ?? new EsmDatasetOptions();
        _sampler = new DepthBalancedSampler(space, new DepthBins(space, _options.BinCount));
    }

    /// <summary>The depth bins the dataset is balanced and scored over.</summary>
    public DepthBins Bins => _sampler.Bins;

    /// <summary>Runs the loop.</summary>
    /// <param name="measure">Measures a batch of genomes, returning one value per genome in order.</param>
    /// <param name="cancellationToken">Stops the loop between batches.</param>
    public async Task<EsmDataset> BuildAsync(
        Func<IReadOnlyList<Genome>, CancellationToken, Task<IReadOnlyList<double>>> measure,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var random = new Random(_options.Seed);
        var genomes = new List<Genome>();
        var values = new List<double>();
        var seen = new HashSet<Genome>();
        var rounds = new List<EsmRound>();
        var converged = false;

        var batch = Draw(_options.Balanced
            ? k => _sampler.SampleInBin(k % Bins.Count, random)
            : _ => _sampler.SampleUniform(random), Math.Min(_options.InitialSamples, _options.Budget), seen);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await MeasureInto(measure, batch, genomes, values, cancellationToken).ConfigureAwait(false);
            var added = new int[Bins.Count];
            foreach (var genome in batch)
            {
                added[Bins.BinOf(genome)]++;
            }

            var round = Score(rounds.Count, genomes, values, added);
            rounds.Add(round);
            converged = round.Bins.All(b => b.MeetsThreshold);
            var remaining = Math.Min(_options.ExtensionSamples, _options.Budget - genomes.Count);
            if (converged || remaining <= 0)
            {
                break;
            }

            batch = _options.Balanced
                ? DrawForFailingBins(round, remaining, seen, random)
                : Draw(_ => _sampler.SampleUniform(random), remaining, seen);
            if (batch.Count == 0)
            {
                break;
            }
        }

        var predictor = _createPredictor();
        predictor.Fit(genomes, values);
        return new EsmDataset(genomes, values, rounds, converged, predictor);
    }

    private static async Task MeasureInto(
        Func<IReadOnlyList<Genome>, CancellationToken, Task<IReadOnlyList<double>>> measure,
        List<Genome> batch,
        List<Genome> genomes,
        List<double> values,
        CancellationToken cancellationToken)
    {
        var measured = await measure(batch, cancellationToken).ConfigureAwait(false);
        if (measured.Count != batch.Count)
        {
            throw new InvalidOperationException($"Asked to measure {batch.Count} genomes, got {measured.Count} values.");
        }

        genomes.AddRange(batch);
        values.AddRange(measured);
    }

    private EsmRound Score(int index, List<Genome> genomes, List<double> values, int[] added)
    {
        var template = _createPredictor();
        var features = genomes.Select(template.Encoding.Encode).ToArray();
        var predicted = genomes.Count >= 2
            ? CrossValidation.PredictOutOfFold(() => _createPredictor().Predictor, features, values, _options.Folds, _options.Seed)
            : [.. values.Select(_ => double.NaN)];
        var binOf = genomes.Select(Bins.BinOf).ToArray();
        var reports = new List<EsmBinReport>();
        for (var bin = 0; bin < Bins.Count; bin++)
        {
            var members = Enumerable.Range(0, genomes.Count).Where(i => binOf[i] == bin).ToArray();
            var score = members.Length == 0
                ? double.NaN
                : QualityMetrics.ShareWithin(
                    [.. members.Select(i => values[i])], [.. members.Select(i => predicted[i])], _options.Tolerance);
            var (min, max) = Bins.DepthRange(bin);
            reports.Add(new EsmBinReport(
                bin, min, max, members.Length, added[bin], score, members.Length >= 2 && score >= _options.Threshold));
        }

        return new EsmRound(index, genomes.Count, reports);
    }

    private List<Genome> DrawForFailingBins(EsmRound round, int count, HashSet<Genome> seen, Random random)
    {
        // Shortfall per failing bin; an empty bin counts as a full shortfall.
        var failing = round.Bins.Where(b => !b.MeetsThreshold)
            .Select(b => (b.Bin, Weight: double.IsNaN(b.Score) ? 1.0 : Math.Max(_options.Threshold - b.Score, 1e-3)))
            .ToList();
        var total = failing.Sum(f => f.Weight);
        var quotas = failing.Select(f => (f.Bin, Exact: count * f.Weight / total)).ToList();
        var counts = quotas.ToDictionary(q => q.Bin, q => (int)Math.Floor(q.Exact));
        foreach (var q in quotas.OrderByDescending(q => q.Exact - Math.Floor(q.Exact)).Take(count - counts.Values.Sum()))
        {
            counts[q.Bin]++;
        }

        var batch = new List<Genome>();
        foreach (var (bin, quota) in counts)
        {
            batch.AddRange(Draw(_ => _sampler.SampleInBin(bin, random), quota, seen));
        }

        return batch;
    }

    private static List<Genome> Draw(Func<int, Genome> draw, int count, HashSet<Genome> seen)
    {
        // Small spaces run out of unseen genomes; give up on a sample after a fixed number of repeats.
        var batch = new List<Genome>(count);
        for (var attempt = 0; batch.Count < count && attempt < count * DrawAttemptsPerSample; attempt++)
        {
            var genome = draw(batch.Count);
            if (seen.Add(genome))
            {
                batch.Add(genome);
            }
        }

        return batch;
    }
}
