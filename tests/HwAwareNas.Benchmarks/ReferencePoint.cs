using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Hypervolume reference points (minimization form) and ratios against a reference front, computed with the
/// product's indicators (<see cref="ParetoFront"/>, <see cref="Hypervolume"/>, <see cref="HypervolumeReference"/>).
/// </summary>
internal static class ReferencePoint
{
    /// <summary>Share of the reference front's range each objective's reference point lies beyond its worst value.</summary>
    public const double NadirMargin = 0.1;

    /// <summary>
    /// The reference front's nadir pushed out by <see cref="NadirMargin"/> of its range in each objective: the
    /// hypervolume then measures the trade-off region the fronts differ in. (With DESIGN.md's accuracy-0 point,
    /// every network of this super-network, all at 86–89 %, holds almost the whole volume.)
    /// </summary>
    public static double[] Nadir(IReadOnlyList<Objective> objectives, ParetoFront reference)
    {
        var vectors = ObjectiveVectors.ToMinimization(objectives, reference.Members);
        var point = new double[objectives.Count];
        for (var k = 0; k < point.Length; k++)
        {
            var worst = vectors.Max(v => v[k]);
            var best = vectors.Min(v => v[k]);
            var range = worst - best;
            point[k] = worst + (NadirMargin * (range > 0 ? range : Math.Max(Math.Abs(worst), 1e-9)));
        }

        return point;
    }

    /// <summary>DESIGN.md's rule (accuracy 0, 1.1 × the largest latency), from the reference front.</summary>
    public static double[] Design(IReadOnlyList<Objective> objectives, ParetoFront reference) =>
        HypervolumeReference.For(objectives, reference.Members);

    /// <summary>Hypervolume of the feasible front of <paramref name="candidates"/> against <paramref name="point"/>.</summary>
    public static double HypervolumeOf(IReadOnlyList<Objective> objectives, IEnumerable<EvaluatedCandidate> candidates, double[] point) =>
        ParetoFront.Of(objectives, candidates).Hypervolume(point);
}
