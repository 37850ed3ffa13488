using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Indicators;

/// <summary>
/// The hypervolume reference point of DESIGN.md (after Laube et al.): accuracy 0 and 1.1 × the largest latency
/// on the front. Generalised per objective: a maximized objective's reference is 0 (no accuracy), a minimized
/// one's is 1.1 × its largest value on the front. The point is returned in minimization form.
/// </summary>
public static class HypervolumeReference
{
    /// <summary>Margin beyond the worst minimized value, so the front's extreme points still add volume.</summary>
    public const double Margin = 1.1;

    /// <summary>The reference point (minimization form) for <paramref name="front"/>.</summary>
    public static double[] For(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> front)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(front);
        if (front.Count == 0)
        {
            throw new ArgumentException("A reference point needs a non-empty front.", nameof(front));
        }

        var reference = new double[objectives.Count];
        for (var k = 0; k < reference.Length; k++)
        {
            var index = k;
            reference[k] = objectives[k].Direction == ObjectiveDirection.Maximize
                ? 0
                : Margin * front.Max(c => c.Values[index]);
        }

        return reference;
    }
}
