using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>A uniformly scaled sub-network as the run measured it: by the search's protocol and, when finalists are confirmed, a second time.</summary>
/// <param name="Level">1-based level: 1 is the smallest sub-network, <paramref name="Levels"/> the largest.</param>
/// <param name="Levels">How many uniform levels the space has.</param>
/// <param name="Searched">Accuracy and latency as every candidate of the search is measured.</param>
/// <param name="Remeasured">The second measurement, or null when the run confirms nothing.</param>
internal sealed record MeasuredBaseline(int Level, int Levels, EvaluatedCandidate Searched, EvaluatedCandidate? Remeasured);

/// <summary>
/// Measures the uniformly scaled sub-networks (<see cref="SearchSpaceExtensions.UniformlyScaled"/>) beside the
/// selection, so the report can show what the search bought over scaling the network with one knob. They go through
/// the same evaluators as the search and its finalists, so a run that already measured them (the smallest and largest
/// usually are) measures nothing again, and the comparison holds every side to the same protocol.
/// </summary>
internal static class UniformBaselines
{
    public static async Task<IReadOnlyList<MeasuredBaseline>> MeasureAsync(
        ISearchSpace space, IEvaluator live, IEvaluator? confirmation, CancellationToken cancellationToken)
    {
        var genomes = space.UniformlyScaled();
        var searched = await live.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        var remeasured = confirmation is null ? null : await confirmation.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        return [.. genomes.Select((_, i) => new MeasuredBaseline(i + 1, genomes.Count, searched[i], remeasured?[i]))];
    }
}
