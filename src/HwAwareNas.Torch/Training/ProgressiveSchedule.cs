using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Torch.Training;

/// <summary>One phase of a progressive-shrinking run and the epochs it covers (1-based, inclusive).</summary>
/// <param name="Phase">The phase.</param>
/// <param name="FirstEpoch">Its first epoch.</param>
/// <param name="LastEpoch">Its last epoch.</param>
public sealed record PhaseSpan(ShrinkingPhase Phase, int FirstEpoch, int LastEpoch);

/// <summary>Lays the phases of progressive shrinking a family has out over consecutive epochs.</summary>
internal static class ProgressiveSchedule
{
    /// <summary>
    /// The phases of <paramref name="space"/> (<see cref="PhaseSampler.PhasesOf"/>) with their epochs, in order; phases
    /// given 0 epochs are left out.
    /// </summary>
    public static IReadOnlyList<PhaseSpan> Spans(ISearchSpace space, ProgressiveEpochs epochs)
    {
        var spans = new List<PhaseSpan>();
        var next = 1;
        foreach (var phase in PhaseSampler.PhasesOf(space))
        {
            var count = epochs.Of(phase);
            if (count > 0)
            {
                spans.Add(new PhaseSpan(phase, next, next + count - 1));
                next += count;
            }
        }

        return spans;
    }

    /// <summary>The span holding <paramref name="epoch"/>; the last one for epochs past the schedule.</summary>
    public static PhaseSpan At(IReadOnlyList<PhaseSpan> spans, int epoch) =>
        spans.FirstOrDefault(s => epoch >= s.FirstEpoch && epoch <= s.LastEpoch) ?? spans[^1];
}
