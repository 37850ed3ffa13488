namespace HwAwareNas.Search.Operators;

/// <summary>What a termination criterion looks at after each generation.</summary>
/// <param name="Generation">Generations completed (the initial population is generation 1).</param>
/// <param name="Evaluations">Genomes evaluated so far.</param>
/// <param name="Elapsed">Wall time spent so far.</param>
/// <param name="StagnantGenerations">
/// Consecutive generations in which no new point entered the first front that the previous first front did not
/// already weakly dominate.
/// </param>
public sealed record TerminationState(int Generation, int Evaluations, TimeSpan Elapsed, int StagnantGenerations);
