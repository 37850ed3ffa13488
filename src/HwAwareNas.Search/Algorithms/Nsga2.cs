using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Algorithms;

/// <summary>
/// NSGA-II (Deb et al. 2002): a <see cref="GeneticAlgorithm"/> with random (or warm start) sampling, binary
/// tournament on constraint-domination rank and crowding, uniform crossover, per-gene random reset, duplicate
/// elimination on canonical genomes and rank-and-crowding survival. This class only chooses those defaults.
/// </summary>
internal static class Nsga2
{
    /// <summary>Assembles NSGA-II for <paramref name="space"/>.</summary>
    public static GeneticAlgorithm Create(
        ISearchSpace space,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<Constraint> constraints,
        Nsga2Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ISampling sampling = settings.InitialPopulation is { } initial
            ? new PopulationSampling(initial)
            : new IntegerRandomSampling();
        var parts = new GeneticAlgorithmParts(
            sampling,
            new BinaryTournamentSelection(),
            new UniformCrossover(settings.CrossoverProbability),
            new RandomResetMutation(settings.MutationRate),
            new CanonicalDuplicateElimination(),
            new RankAndCrowdingSurvival(),
            settings.Termination);
        return new GeneticAlgorithm(space, objectives, constraints, parts, settings.PopulationSize, settings.Seed);
    }
}
