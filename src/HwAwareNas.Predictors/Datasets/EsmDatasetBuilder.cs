using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Datasets;

/// <summary>
/// ESM's dataset loop: measure a depth-balanced held-out set once and an initial depth-balanced training set, fit,
/// score the fit on the held-out set (Kendall τ and MAPE, overall and per depth bin), and, until the overall scores
/// meet the targets or the sample budget is spent, extend the training set where the error is largest: the bins whose
/// MAPE misses the target share the new samples in proportion to their MAPE. Bins are judged by MAPE alone: within one
/// depth bin latencies span a narrow range, so a bin's τ over a few held-out samples is mostly noise (it is reported). The measurement is the caller's, so it
/// can be the live profiler behind the results store; everything else is seeded, so a loop repeats exactly.
/// </summary>
public sealed class EsmDatasetBuilder
{
    private const int DrawAttemptsPerSample = 50;

    private readonly Func<GenomePredictor> _createPredictor;
    private readonly EsmDatasetOptions _options;
    private readonly DepthBalancedSampler _sampler;

    /// <summary>Creates a builder.</summary>
    /// <param name="space">The search space to sample.</param>
    /// <param name="createPredictor">Creates an untrained predictor (called once per round).</param>
    /// <param name="options">Loop settings.</param>
    public EsmDatasetBuilder(ISearchSpace space, Func<GenomePredictor> createPredictor, EsmDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(createPredictor);
        _createPredictor = createPredictor;
        _options = options ?? new EsmDatasetOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.InitialSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.HoldOutSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ExtensionSamples, 1);
        _sampler = new DepthBalancedSampler(space, new DepthBins(space, _options.BinCount));
    }

    /// <summary>The depth bins the dataset is balanced and scored over.</summary>
    public DepthBins Bins => _sampler.Bins;

    /// <summary>Runs the loop; <paramref name="progress"/> gets every round as it is scored.</summary>
    /// <exception cref="OperationCanceledException">Cancelled between measurements.</exception>
    public async Task<EsmDataset> BuildAsync(
        IGenomeMeasurement measurement, IProgress<EsmRound>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var random = new Random(_options.Seed);
        var seen = new HashSet<Genome>();

        // Held out first and balanced whatever the training sampling, so random and balanced loops are scored alike.
        var holdOut = Draw(k => _sampler.SampleInBin(k % Bins.Count, random), _options.HoldOutSamples, seen);
        var holdOutValues = await MeasureAsync(measurement, holdOut, cancellationToken).ConfigureAwait(false);
        var holdOutBins = holdOut.Select(Bins.BinOf).ToArray();

        var genomes = new List<Genome>();
        var values = new List<double>();
        var rounds = new List<EsmRound>();
        var batch = Draw(
            _options.Balanced ? k => _sampler.SampleInBin(k % Bins.Count, random) : _ => _sampler.SampleUniform(random),
            Math.Min(_options.InitialSamples, _options.MaxSamples),
            seen);
        while (true)
        {
            values.AddRange(await MeasureAsync(measurement, batch, cancellationToken).ConfigureAwait(false));
            genomes.AddRange(batch);
            // Only the last round's predictor is returned (and then the caller's to dispose); every other one is
            // disposed when its round is scored.
            var predictor = _createPredictor();
            EsmRound round;
            try
            {
                predictor.Fit(genomes, values);
                round = Score(rounds.Count + 1, genomes, batch, holdOutValues, predictor.Predict(holdOut), holdOutBins);
            }
            catch
            {
                predictor.Dispose();
                throw;
            }

            rounds.Add(round);
            progress?.Report(round);

            var reason = round.MeetsTargets ? EsmStopReason.TargetsMet
                : genomes.Count >= _options.MaxSamples ? EsmStopReason.BudgetSpent
                : (EsmStopReason?)null;
            if (reason is null)
            {
                var count = Math.Min(_options.ExtensionSamples, _options.MaxSamples - genomes.Count);
                batch = _options.Balanced ? DrawForWorstBins(round, count, seen, random) : Draw(_ => _sampler.SampleUniform(random), count, seen);
                reason = batch.Count == 0 ? EsmStopReason.SpaceExhausted : null;
            }

            if (reason is { } stop)
            {
                return new EsmDataset(genomes, values, holdOut, holdOutValues, rounds, stop, predictor);
            }

            predictor.Dispose();
        }
    }

    /// <summary>
    /// How many of <paramref name="count"/> new samples each bin gets after <paramref name="round"/>: the bins whose MAPE
    /// misses the target (every bin when none does, since the overall scores then miss) in proportion to their MAPE,
    /// largest remainders first; a bin with no held-out samples counts as missing by twice the target.
    /// </summary>
    public IReadOnlyList<int> Allocate(EsmRound round, int count)
    {
        ArgumentNullException.ThrowIfNull(round);
        var weights = round.Bins.Select(b => double.IsNaN(b.Mape) ? 2 * _options.TargetMape : Math.Max(b.Mape, 1e-9)).ToArray();
        if (round.Bins.Any(b => !b.MeetsTargets))
        {
            weights = [.. weights.Select((w, i) => round.Bins[i].MeetsTargets ? 0 : w)];
        }

        var total = weights.Sum();
        var exact = weights.Select(w => count * w / total).ToArray();
        var quotas = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => exact[i] - quotas[i]).ThenByDescending(i => weights[i])
                     .Take(count - quotas.Sum()))
        {
            quotas[i]++;
        }

        return quotas;
    }

    private static async Task<IReadOnlyList<double>> MeasureAsync(
        IGenomeMeasurement measurement, List<Genome> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var measured = await measurement.MeasureAsync(batch, cancellationToken).ConfigureAwait(false);
        if (measured.Count != batch.Count)
        {
            throw new InvalidOperationException($"Asked to measure {batch.Count} genomes, got {measured.Count} values.");
        }

        return measured;
    }

    private EsmRound Score(
        int index, List<Genome> genomes, List<Genome> batch, IReadOnlyList<double> actual, double[] predicted, int[] holdOutBins)
    {
        var trainingBins = genomes.Select(Bins.BinOf).ToArray();
        var addedBins = batch.Select(Bins.BinOf).ToArray();
        var reports = new List<EsmBinReport>();
        for (var bin = 0; bin < Bins.Count; bin++)
        {
            var members = Enumerable.Range(0, actual.Count).Where(i => holdOutBins[i] == bin).ToArray();
            double[] a = [.. members.Select(i => actual[i])], p = [.. members.Select(i => predicted[i])];
            var tau = members.Length >= 2 ? QualityMetrics.KendallTau(a, p) : double.NaN;
            var mape = members.Length >= 1 ? QualityMetrics.Mape(a, p) : double.NaN;
            var (min, max) = Bins.DepthRange(bin);
            reports.Add(new EsmBinReport(
                bin, min, max, trainingBins.Count(b => b == bin), addedBins.Count(b => b == bin), members.Length, tau, mape,
                mape <= _options.TargetMape));
        }

        var quality = QualityMetrics.Evaluate(actual, predicted);
        return new EsmRound(
            index, genomes.Count, quality, reports, quality.Mape <= _options.TargetMape && quality.KendallTau >= _options.TargetTau);
    }

    private List<Genome> DrawForWorstBins(EsmRound round, int count, HashSet<Genome> seen, Random random)
    {
        var quotas = Allocate(round, count);
        var batch = new List<Genome>();
        for (var bin = 0; bin < quotas.Count; bin++)
        {
            var b = bin;
            batch.AddRange(Draw(_ => _sampler.SampleInBin(b, random), quotas[bin], seen));
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
