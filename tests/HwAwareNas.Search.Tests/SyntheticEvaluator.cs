using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Tests;

/// <summary>
/// Accuracy and latency as known functions of the genome: every active block adds accuracy with diminishing
/// returns in kernel and expand, and latency proportional to kernel² × expand. Counts what it evaluates.
/// </summary>
internal sealed class SyntheticEvaluator(EvaluationOrigin origin = EvaluationOrigin.Measured) : IEvaluator
{
    private int _evaluations;

    /// <summary>Extra live latency per genome key (a device that disagrees with the prediction).</summary>
    public Dictionary<Genome, double> LatencyPenalty { get; } = [];

    public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy, Objective.Latency];

    public int Evaluations => _evaluations;

    /// <summary>How many genomes each call evaluated, in call order.</summary>
    public List<int> Batches { get; } = [];

    public static double Accuracy(Genome g)
    {
        var accuracy = 50.0;
        for (var b = 0; b < SyntheticSpace.OneUnit.DepthOf(g); b++)
        {
            accuracy += (4 * Math.Sqrt(1 + SyntheticSpace.OneUnit.KernelIndexOf(g, b))) + (3 * Math.Sqrt(1 + SyntheticSpace.OneUnit.ExpandIndexOf(g, b))) - (0.5 * b);
        }

        return accuracy;
    }

    public static double Latency(Genome g)
    {
        var latency = 1.0;
        for (var b = 0; b < SyntheticSpace.OneUnit.DepthOf(g); b++)
        {
            var k = 3 + (2 * SyntheticSpace.OneUnit.KernelIndexOf(g, b));
            var e = new[] { 3, 4, 6 }[SyntheticSpace.OneUnit.ExpandIndexOf(g, b)];
            latency += k * k * e / 100.0;
        }

        return latency;
    }

    public EvaluatedCandidate Evaluate(Genome g) =>
        new(g, [Accuracy(g), Latency(g) + LatencyPenalty.GetValueOrDefault(g)], origin);

    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _evaluations, genomes.Count);
        lock (Batches)
        {
            Batches.Add(genomes.Count);
        }

        IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select(Evaluate)];
        return Task.FromResult(result);
    }
}
