using System.Collections.Concurrent;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.OfaBench;

/// <summary>
/// The benchmark's stand-in for live validation on OFA MobileNetV3 w1.0: accuracy from <see cref="OfaAccuracyOracle"/>,
/// latency from <see cref="OfaLatencyTable"/>, both fixed, so every strategy and seed sees the same values for a genome.
/// Counts the distinct sub-networks it was asked for.
/// </summary>
internal sealed class OfaOracleEvaluator(IElasticFamily family, OfaAccuracyOracle accuracy, OfaLatencyTable latency) : IEvaluator
{
    private readonly ConcurrentDictionary<Genome, double> _latencies = new();

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy, Objective.Latency];

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Evaluate(genomes));
    }

    /// <summary>The oracle's values of <paramref name="genomes"/> (canonicalized), in order.</summary>
    public IReadOnlyList<EvaluatedCandidate> Evaluate(IReadOnlyList<Genome> genomes)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var canonical = genomes.Select(family.Canonicalize).ToList();
        var accuracies = accuracy.Accuracies(canonical);
        return [.. canonical.Select((g, i) => new EvaluatedCandidate(g, [accuracies[i], LatencyOf(g)], EvaluationOrigin.Measured))];
    }

    /// <summary>The table's latency of <paramref name="genome"/>, ms.</summary>
    public double LatencyOf(Genome genome) =>
        _latencies.GetOrAdd(family.Canonicalize(genome), g => latency.LatencyOf(family.Plan(g)));
}
