using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Charges the evaluations it passes through to one stage of a <see cref="StageClock"/> and counts them.</summary>
internal sealed class TimedEvaluator(IEvaluator inner, StageClock clock, string stage) : IEvaluator
{
    /// <summary>Genomes evaluated through this wrapper.</summary>
    public int Evaluated { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives => inner.Objectives;

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var evaluated = await clock.MeasureAsync(stage, () => inner.EvaluateAsync(genomes, cancellationToken)).ConfigureAwait(false);
        Evaluated += genomes.Count;
        return evaluated;
    }
}
