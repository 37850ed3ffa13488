using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Algorithms;

/// <summary>The operators a <see cref="GeneticAlgorithm"/> is assembled from, one per role.</summary>
/// <param name="Sampling">Produces the initial population.</param>
/// <param name="Selection">Chooses parents.</param>
/// <param name="Crossover">Recombines parents.</param>
/// <param name="Mutation">Perturbs offspring.</param>
/// <param name="DuplicateElimination">Drops offspring that repeat the population or each other.</param>
/// <param name="Survival">Chooses the next population from parents and offspring.</param>
/// <param name="Termination">Decides when to stop.</param>
internal sealed record GeneticAlgorithmParts(
    ISampling Sampling,
    ISelection Selection,
    ICrossover Crossover,
    IMutation Mutation,
    IDuplicateElimination DuplicateElimination,
    ISurvival Survival,
    ITermination Termination);
