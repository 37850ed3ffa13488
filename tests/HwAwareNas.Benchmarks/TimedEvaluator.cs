using System.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Benchmarks;

/// <summary>Passes evaluations through and adds up the time spent in them, so a run's own overhead can be told apart.</summary>
internal sealed class TimedEvaluator(IEvaluator inner) : IEvaluator
{
    /// <summary>Time spent inside the inner evaluator.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives => inner.Objectives;

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await inner.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Elapsed += clock.Elapsed;
        }
    }
}
