using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Algorithms;

/// <summary>Drives a <see cref="GeneticAlgorithm"/> with an <see cref="IEvaluator"/> until it is done.</summary>
internal static class AskTellLoop
{
    /// <summary>
    /// Loops ask → evaluate → tell; <paramref name="afterGeneration"/> sees the evaluated genomes and the
    /// algorithm after each tell (for study records and progress).
    /// </summary>
    public static async Task RunAsync(
        GeneticAlgorithm algorithm,
        IEvaluator evaluator,
        CancellationToken cancellationToken,
        Action<GeneticAlgorithm, IReadOnlyList<EvaluatedCandidate>>? afterGeneration = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(evaluator);
        while (!algorithm.IsDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var genomes = algorithm.Ask();
            if (genomes.Count == 0)
            {
                break;
            }

            var evaluated = await evaluator.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
            algorithm.Tell(evaluated);
            afterGeneration?.Invoke(algorithm, evaluated);
        }
    }
}
