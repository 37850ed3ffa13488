using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Indicators;

/// <summary>
/// The non-dominated, feasible members of a set of candidates, ordered by the first objective (best first) and
/// then by genome key, so the order is deterministic. Candidates with equal objective values are all kept only
/// once per genome.
/// </summary>
public sealed class ParetoFront
{
    private ParetoFront(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> members)
    {
        Objectives = objectives;
        Members = members;
    }

    /// <summary>The objectives the members' values belong to.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>The front's members.</summary>
    public IReadOnlyList<EvaluatedCandidate> Members { get; }

    /// <summary>
    /// The front of <paramref name="candidates"/>: the feasible candidates no other feasible candidate dominates
    /// (empty when none is feasible). Repeated genomes are kept once.
    /// </summary>
    public static ParetoFront Of(IReadOnlyList<Objective> objectives, IEnumerable<EvaluatedCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidates);
        var feasible = candidates.Where(c => c.IsFeasible).DistinctBy(c => c.Genome).ToList();
        var vectors = ObjectiveVectors.ToMinimization(objectives, feasible);
        var members = new List<EvaluatedCandidate>();
        for (var i = 0; i < feasible.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < feasible.Count && !dominated; j++)
            {
                dominated = j != i && Dominance.Dominates(vectors[j], vectors[i]);
            }

            if (!dominated)
            {
                members.Add(feasible[i]);
            }
        }

        var ordered = objectives.Count == 0
            ? members
            : [.. members.OrderBy(c => objectives[0].ToMinimization(c.Values[0])).ThenBy(c => c.Genome.Key, StringComparer.Ordinal)];
        return new ParetoFront(objectives, ordered);
    }

    /// <summary>The front's hypervolume against <paramref name="reference"/> (minimization form).</summary>
    public double Hypervolume(IReadOnlyList<double> reference) =>
        Indicators.Hypervolume.Compute(ObjectiveVectors.ToMinimization(Objectives, Members), reference);

    /// <summary>The front's hypervolume against its own <see cref="HypervolumeReference"/>; 0 when empty.</summary>
    public double Hypervolume() =>
        Members.Count == 0 ? 0 : Hypervolume(HypervolumeReference.For(Objectives, Members));
}
