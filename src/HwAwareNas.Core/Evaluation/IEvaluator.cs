using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Evaluation;

/// <summary>
/// Gives genomes their objective values, a population at a time so that work can be batched or spread over
/// devices. Live evaluators measure; surrogate evaluators predict; strategies cannot tell them apart.
/// </summary>
public interface IEvaluator
{
    /// <summary>The objectives every result carries values for, in value order.</summary>
    IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Evaluates <paramref name="genomes"/>; the result has one candidate per genome, in the same order.</summary>
    Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken);
}
