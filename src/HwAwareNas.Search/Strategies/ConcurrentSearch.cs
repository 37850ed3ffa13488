using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Study;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// DyNAS-T's ConcurrentNAS (its Algorithm 1): measure the population → refit the surrogates on every measurement so
/// far → run NSGA-II on the surrogates for many generations, starting from the measured population → its final
/// population is the next one to measure; repeat until <see cref="Validations"/> live measurements are spent. The first
/// population is the largest and smallest sub-networks, then ones drawn as <see cref="Sampling"/> says (depth-balanced by
/// default). When the surrogates propose fewer unmeasured networks than a population, unmeasured ones drawn the same way
/// (balanced: from the depth bins the study covers least) fill the iteration, so the budget is spent. Every measured
/// genome is live, so the result's front is measured. With <see cref="ConcurrentAcquisition.ExpectedHypervolume"/> the
/// rounds are smaller and chosen by expected hypervolume improvement instead (see <see cref="RunAcquiringAsync"/>).
/// </summary>
/// <param name="populationSize">Individuals measured per iteration (and the inner NSGA-II's population).</param>
/// <param name="innerGenerations">NSGA-II generations on the surrogates per iteration (DyNAS-T: more than 200).</param>
/// <param name="validations">Live measurements allowed in all.</param>
/// <param name="createModel">Makes a fresh, unfitted surrogate for an objective.</param>
/// <param name="maxIterations">Most measure → refit → search rounds (null: until the validations are spent).</param>
/// <param name="sampling">How the first population (beside the anchors) and the exploration top-ups are drawn.</param>
/// <param name="acquisition">How each round's sub-networks to measure are chosen.</param>
/// <param name="batchSize">
/// Sub-networks measured per round after the first with <see cref="ConcurrentAcquisition.ExpectedHypervolume"/> (null: the population).
/// </param>
/// <param name="firstBatch">
/// Sub-networks measured in the first round with <see cref="ConcurrentAcquisition.ExpectedHypervolume"/> (null: the population);
/// never more than half the validations.
/// </param>
/// <param name="batchShare">
/// Rounds after the first measure at least this share of the sub-networks measured so far (0: always <paramref name="batchSize"/>),
/// so the number of refits grows with the logarithm of the validations rather than with them.
/// </param>
/// <param name="exploration">
/// Weight of the predictors' uncertainty in the expected-hypervolume acquisition (1: as they report it; 0: their means alone).
/// </param>
public sealed class ConcurrentSearch(
    int populationSize,
    int innerGenerations,
    int validations,
    Func<Objective, ISurrogateModel> createModel,
    int? maxIterations = null,
    SubnetSampling sampling = SubnetSampling.Balanced,
    ConcurrentAcquisition acquisition = ConcurrentAcquisition.Population,
    int? batchSize = null,
    int? firstBatch = null,
    double batchShare = 0,
    double exploration = 1)
    : ISearchStrategy
{
    /// <summary>
    /// How far beyond the worst measured value (as a fraction of the measured range) the acquisition's hypervolume
    /// reference point lies, so the extremes of the front still add volume.
    /// </summary>
    public const double ReferenceMargin = 0.1;

    /// <summary>How each round's sub-networks to measure are chosen.</summary>
    public ConcurrentAcquisition Acquisition { get; } = acquisition;

    /// <summary>Sub-networks measured per round after the first (expected-hypervolume acquisition).</summary>
    public int BatchSize { get; } = batchSize ?? populationSize;

    /// <summary>Least share of the sub-networks measured so far that a round after the first measures (expected-hypervolume acquisition).</summary>
    public double BatchShare { get; } = batchShare;

    /// <summary>Weight of the predictors' uncertainty in the expected-hypervolume acquisition.</summary>
    public double Exploration { get; } = exploration;

    /// <summary>Sub-networks measured in the first round (expected-hypervolume acquisition).</summary>
    public int FirstBatch { get; } = firstBatch ?? populationSize;

    /// <summary>How the first population (beside the anchors) and the exploration top-ups are drawn.</summary>
    public SubnetSampling Sampling { get; } = sampling;

    /// <summary>Live measurements allowed in all.</summary>
    public int Validations { get; } = validations;

    /// <inheritdoc />
    public string Name => "concurrent";

    /// <inheritdoc />
    public async Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(createModel);
        if (Acquisition == ConcurrentAcquisition.ExpectedHypervolume)
        {
            return await RunAcquiringAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var recorder = context.Recorded(Name);
        IReadOnlyList<Genome> population = context.Storage.Generations.LastOrDefault(g => g.Stage == Name) is { } last
            ? [.. last.Population.Select(c => c.Genome)]
            : DistinctSampling.Anchored(context.Space, populationSize, new Random(context.Seed), Sampling);
        IReadOnlyList<EvaluatedCandidate> measuredPopulation = [];
        for (var iteration = context.Storage.Generations.Count(g => g.Stage == Name); iteration < (maxIterations ?? int.MaxValue); iteration++)
        {
            var measuredKeys = context.Storage.Trials.Select(t => context.Space.Canonicalize(t.Candidate.Genome)).ToHashSet();
            var remaining = Validations - context.Storage.Trials.Count(t => t.Stage == Name);
            var fresh = population.Where(g => !measuredKeys.Contains(context.Space.Canonicalize(g))).Take(remaining).ToList();
            var wanted = Math.Min(populationSize, remaining);
            if (fresh.Count < wanted)
            {
                // The surrogates proposed mostly known networks (they have converged): spend the rest of this
                // iteration's validations on other unmeasured ones (balanced: in the depth bins the study covers least),
                // which is where the surrogates learn most.
                var random = new Random(unchecked(context.Seed + iteration));
                var explore = DistinctSampling.Draw(context.Space, wanted - fresh.Count, random, [.. measuredKeys, .. fresh], Sampling);
                fresh.AddRange(explore);
                population = [.. population, .. explore];
            }

            if (fresh.Count == 0)
            {
                break;
            }

            await recorder.EvaluateAsync(fresh, cancellationToken).ConfigureAwait(false);
            measuredKeys.UnionWith(fresh.Select(context.Space.Canonicalize));

            // Members cut by the budget stay unmeasured; the others are answered from the study.
            measuredPopulation = await recorder.EvaluateAsync(
                [.. population.Where(g => measuredKeys.Contains(context.Space.Canonicalize(g)))], cancellationToken).ConfigureAwait(false);
            context.Report(Name, Validations);

            // A budget that ran out during the measurements stops the search before the surrogates are refitted.
            cancellationToken.ThrowIfCancellationRequested();

            // The inner search starts from the population the surrogates last proposed (exploration extras only
            // feed the surrogates), so the next proposal refines it.
            using var surrogate = SurrogateEvaluator.Fit(context.Objectives, context.MeasuredTrials(), createModel);
            var settings = new Nsga2Settings(
                populationSize, new Termination(maxGenerations: innerGenerations), unchecked(context.Seed + iteration), population);
            var algorithm = Nsga2.Create(context.Space, context.Objectives, context.Constraints, settings);
            await AskTellLoop.RunAsync(algorithm, surrogate, cancellationToken).ConfigureAwait(false);
            population = [.. algorithm.Population.Select(i => i.Candidate.Genome)];
            context.Storage.AppendGeneration(new GenerationRecord(
                Name, iteration + 1, context.Storage.Trials.Count, [.. algorithm.Population.Select(i => i.Candidate)]));
        }

        return SearchOutcome.OfStudy(Name, context, [.. measuredPopulation.Select(c => c.WithConstraints(context.Objectives, context.Constraints))]);
    }

    /// <summary>
    /// Measure a first batch (the anchors, then sampled sub-networks) → refit the surrogates on every measurement → run
    /// NSGA-II on them, warm-started from its previous final population → of every unmeasured sub-network it evaluated,
    /// measure the <see cref="BatchSize"/> with the largest expected hypervolume improvement over the measured front
    /// (<see cref="HypervolumeAcquisition"/>) → repeat until the validations are spent. DyNAS-T's rule measures the
    /// inner search's final population whole, most of which the predictors already place behind the front or near
    /// another proposal; this rule spends each validation where the predictors, uncertainty included, expect the front
    /// to grow, and smaller rounds let each measurement steer the next choice. A resumed study answers the first batch
    /// and earlier choices from its trials and goes on from its last recorded inner population.
    /// </summary>
    private async Task<SearchOutcome> RunAcquiringAsync(SearchContext context, CancellationToken cancellationToken)
    {
        var recorder = context.Recorded(Name);
        // At most half the validations go to the first batch, so even a small budget is searched, not only sampled.
        var firstCount = Math.Min(Validations, Math.Min(FirstBatch, Math.Max(2, Validations / 2)));
        var first = DistinctSampling.Anchored(context.Space, firstCount, new Random(context.Seed), Sampling);
        await recorder.EvaluateAsync(first, cancellationToken).ConfigureAwait(false);
        context.Report(Name, Validations);
        cancellationToken.ThrowIfCancellationRequested();

        IReadOnlyList<Genome>? inner = context.Storage.Generations.LastOrDefault(g => g.Stage == Name) is { } last
            ? [.. last.Population.Select(c => c.Genome)]
            : null;
        IReadOnlyList<EvaluatedCandidate> population = [];
        for (var iteration = context.Storage.Generations.Count(g => g.Stage == Name); iteration < (maxIterations ?? int.MaxValue); iteration++)
        {
            var remaining = Validations - context.Storage.Trials.Count(t => t.Stage == Name);
            if (remaining <= 0)
            {
                break;
            }

            var measured = context.MeasuredTrials();
            var measuredKeys = measured.Select(c => context.Space.Canonicalize(c.Genome)).ToHashSet();

            // The first inner search starts from the measured front, then the other measured sub-networks.
            inner ??= [.. ParetoFront.Of(context.Objectives, measured).Members.Concat(measured).Select(c => c.Genome).DistinctBy(g => g.Key)];
            var pool = new Dictionary<string, Genome>(StringComparer.Ordinal);
            using var surrogate = SurrogateEvaluator.Fit(context.Objectives, measured, createModel);
            var settings = new Nsga2Settings(
                populationSize, new Termination(maxGenerations: innerGenerations), unchecked(context.Seed + iteration), inner);
            var algorithm = Nsga2.Create(context.Space, context.Objectives, context.Constraints, settings);
            await AskTellLoop.RunAsync(algorithm, surrogate, cancellationToken, (_, evaluated) =>
            {
                foreach (var candidate in evaluated)
                {
                    var canonical = context.Space.Canonicalize(candidate.Genome);
                    if (!measuredKeys.Contains(canonical))
                    {
                        pool.TryAdd(canonical.Key, canonical);
                    }
                }
            }).ConfigureAwait(false);
            population = [.. algorithm.Population.Select(i => i.Candidate)];
            inner = [.. population.Select(c => c.Genome)];

            var wanted = Math.Min(Math.Max(BatchSize, (int)Math.Round(BatchShare * measured.Count)), remaining);
            var batch = Acquire(context, surrogate, measured, [.. pool.Values.OrderBy(g => g.Key, StringComparer.Ordinal)], wanted, unchecked(context.Seed + iteration), Exploration);
            if (batch.Count < wanted)
            {
                // The inner search found too few unmeasured sub-networks: draw the rest where the study covers least.
                var random = new Random(unchecked(context.Seed + iteration));
                batch.AddRange(DistinctSampling.Draw(context.Space, wanted - batch.Count, random, [.. measuredKeys, .. batch], Sampling));
            }

            if (batch.Count == 0)
            {
                break;
            }

            await recorder.EvaluateAsync(batch, cancellationToken).ConfigureAwait(false);
            context.Storage.AppendGeneration(new GenerationRecord(Name, iteration + 1, context.Storage.Trials.Count, population));
            context.Report(Name, Validations);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return SearchOutcome.OfStudy(Name, context, [.. population.Select(c => c.WithConstraints(context.Objectives, context.Constraints))]);
    }

    // The expected-hypervolume batch among the pool, against the measured feasible front and a reference point just
    // beyond the worst measured value of every objective.
    private static List<Genome> Acquire(
        SearchContext context, SurrogateEvaluator surrogate, IReadOnlyList<EvaluatedCandidate> measured, IReadOnlyList<Genome> pool, int count, int seed, double exploration)
    {
        if (pool.Count == 0 || count <= 0)
        {
            return [];
        }

        var objectives = context.Objectives;
        var (means, deviations) = surrogate.PredictWithDeviations(pool);
        var vectors = ObjectiveVectors.ToMinimization(objectives, measured);
        var reference = Enumerable.Range(0, objectives.Count).Select(k =>
        {
            var worst = vectors.Max(v => v[k]);
            var range = worst - vectors.Min(v => v[k]);
            return worst + (ReferenceMargin * (range > 0 ? range : Math.Max(1e-9, Math.Abs(worst))));
        }).ToArray();
        var front = measured.Where(c => c.IsFeasible).Select(c => ObjectiveVectors.ToMinimization(objectives, c)).ToList();
        var minimized = means.Select(m => m.Select((v, k) => objectives[k].ToMinimization(v)).ToArray()).ToList();
        var feasibility = means.Select((m, i) => FeasibilityProbability.Of(objectives, context.Constraints, m, deviations[i])).ToList();
        var chosen = HypervolumeAcquisition.SelectBatch(minimized, deviations, feasibility, front, reference, count, seed, exploration);
        return [.. chosen.Select(i => pool[i])];
    }
}
