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
/// genome is live, so the result's front is measured.
/// </summary>
/// <param name="populationSize">Individuals measured per iteration (and the inner NSGA-II's population).</param>
/// <param name="innerGenerations">NSGA-II generations on the surrogates per iteration (DyNAS-T: more than 200).</param>
/// <param name="validations">Live measurements allowed in all.</param>
/// <param name="createModel">Makes a fresh, unfitted surrogate for an objective.</param>
/// <param name="maxIterations">Most measure → refit → search rounds (null: until the validations are spent).</param>
/// <param name="sampling">How the first population (beside the anchors) and the exploration top-ups are drawn.</param>
public sealed class ConcurrentSearch(
    int populationSize,
    int innerGenerations,
    int validations,
    Func<Objective, ISurrogateModel> createModel,
    int? maxIterations = null,
    SubnetSampling sampling = SubnetSampling.Balanced)
    : ISearchStrategy
{
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

        var measured = context.MeasuredTrials();
        return new SearchOutcome(
            Name,
            ParetoFront.Of(context.Objectives, measured),
            measured,
            [.. measuredPopulation.Select(c => c.WithConstraints(context.Objectives, context.Constraints))]);
    }
}
