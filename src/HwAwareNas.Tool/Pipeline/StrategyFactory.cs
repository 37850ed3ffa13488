using System.Globalization;
using static System.FormattableString;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Builds the search strategy hwnas.yaml's <c>search</c> section names.</summary>
internal static class StrategyFactory
{
    /// <summary>
    /// The strategy for <paramref name="search"/>; <paramref name="warmStart"/> is the initial population of a
    /// warm start (null or empty: sampled). Accuracy and latency get the configured predictors, a latency objective the
    /// predictor <paramref name="builtLatency"/> holds under its name instead; params, macs and size are computed exactly. Predictor
    /// fits are charged to <paramref name="clock"/>'s Fit stage when one is given. <paramref name="sampling"/> is how full
    /// and concurrent draw the sub-networks no surrogate proposed.
    /// </summary>
    public static ISearchStrategy Create(
        SearchOptions search,
        IElasticFamily family,
        IReadOnlyList<Genome>? warmStart,
        StageClock? clock = null,
        IReadOnlyDictionary<string, BuiltLatencyPredictor>? builtLatency = null,
        SubnetSampling sampling = SubnetSampling.Balanced)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(search);
        if (search.Population < 2 || search.Validations < 1)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"search.population must be at least 2 and search.validations at least 1 (got {search.Population} and {search.Validations})."),
                ExitCode.BadConfig);
        }

        var measured = new Nsga2Settings(
            search.Population,
            new Termination(maxGenerations: search.Iterations, maxEvaluations: search.Validations),
            search.Seed,
            warmStart is { Count: > 0 } ? warmStart : null,
            search.Crossover,
            search.Mutation > 0 ? search.Mutation : null);
        var inner = measured with { Termination = new Termination(maxGenerations: Math.Max(1, search.InnerGenerations)), InitialPopulation = null };
        var costs = new StructuralCosts(family);
        ISurrogateModel Surrogate(Objective objective)
        {
            if (StructuralCosts.IsStructural(objective))
            {
                return costs.ExactModel(objective);
            }

            var latency = objective.IsLatency;
            var predictor = latency && builtLatency?.GetValueOrDefault(objective.Name) is { } built
                ? built.CreateSurrogate()
                : new GenomeSurrogate(family, PredictorName(latency ? search.Predictors.Latency : search.Predictors.Accuracy));
            return clock is null ? predictor : new TimedSurrogate(predictor, clock);
        }

        return search.Strategy switch
        {
            SearchStrategy.Random => new RandomSearch(search.Validations, search.Population),
            SearchStrategy.Evolutionary => new EvolutionarySearch(measured),
            SearchStrategy.WarmStart => WarmStartSearch.From(warmStart ?? [], measured),
            SearchStrategy.Full => new FullSearch(Math.Max(2, search.Validations - search.Population), Surrogate, inner, sampling),
            SearchStrategy.Concurrent => new ConcurrentSearch(
                search.Population,
                Math.Max(1, search.InnerGenerations),
                search.Validations,
                Surrogate,
                search.Iterations,
                sampling,
                search.Acquisition == SearchAcquisition.Ehvi ? ConcurrentAcquisition.ExpectedHypervolume : ConcurrentAcquisition.Population,
                Math.Max(1, search.Batch),
                Math.Max(2, search.FirstBatch),
                Math.Max(0, search.BatchShare),
                Math.Max(0, search.Exploration)),
            _ => throw new HwNasException($"Unknown search.strategy '{search.Strategy}'.", ExitCode.BadConfig),
        };
    }

    /// <summary>
    /// The settings <paramref name="search"/> runs with, in words for the report: the strategy, its batches and inner
    /// search, and the predictors.
    /// </summary>
    public static string Describe(SearchOptions search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = search.Iterations is { } iterations ? Invariant($", at most {iterations} iterations") : string.Empty;
        var predictors = $"predictors: accuracy {PredictorName(search.Predictors.Accuracy)}, latency {PredictorName(search.Predictors.Latency)}";
        var inner = Invariant($"NSGA-II on the predictors: population {search.Population}, {search.InnerGenerations} generations per round");
        return search.Strategy switch
        {
            SearchStrategy.Concurrent when search.Acquisition == SearchAcquisition.Ehvi => Invariant(
                $"concurrent, acquisition ehvi: first batch {search.FirstBatch}, then per round the larger of {search.Batch} and {search.BatchShare:P0} of those measured, chosen by expected hypervolume improvement with uncertainty weighted {search.Exploration:0.##}; {inner}, warm-started from the previous round; {predictors}{limit}"),
            SearchStrategy.Concurrent => Invariant(
                $"concurrent, acquisition population: {search.Population} per round (the search's final population); {inner}; {predictors}{limit}"),
            SearchStrategy.Full => Invariant($"full: {Math.Max(2, search.Validations - search.Population)} samples, then the predicted front verified; {inner}; {predictors}"),
            SearchStrategy.Random => Invariant($"random, batches of {search.Population}"),
            _ => Invariant($"{search.Strategy.ToString().ToLowerInvariant()}: NSGA-II measured live, population {search.Population}{limit}"),
        };
    }

    /// <summary>The predictor factory's name of <paramref name="kind"/>.</summary>
    public static string PredictorName(PredictorKind kind) => ConfigChoices.Format(kind);
}
