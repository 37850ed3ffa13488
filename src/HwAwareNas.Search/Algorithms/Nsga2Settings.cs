using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Algorithms;

/// <summary>The knobs of <see cref="Nsga2"/>; everything else is NSGA-II's defaults.</summary>
/// <param name="PopulationSize">Individuals per generation (DyNAS-T uses 50).</param>
/// <param name="Termination">When to stop.</param>
/// <param name="Seed">Seed of every random choice.</param>
/// <param name="InitialPopulation">Warm start genomes; null means random sampling.</param>
/// <param name="CrossoverProbability">Chance a parent pair is recombined (uniform crossover).</param>
/// <param name="MutationRate">Per-gene random-reset probability; null means 1/genes.</param>
public sealed record Nsga2Settings(
    int PopulationSize,
    ITermination Termination,
    int Seed = 1,
    IReadOnlyList<Genome>? InitialPopulation = null,
    double CrossoverProbability = 0.9,
    double? MutationRate = null);
