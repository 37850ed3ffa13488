using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Selection;

/// <summary>
/// What a selection policy chose: a candidate that meets every constraint, or none, with the nearest candidates
/// and how far they miss.
/// </summary>
/// <param name="Chosen">The chosen candidate, or null when none is feasible.</param>
/// <param name="Nearest">When none is feasible, the candidates with the smallest violation (closest first).</param>
public sealed record SelectionResult(EvaluatedCandidate? Chosen, IReadOnlyList<NearMiss> Nearest)
{
    /// <summary>Whether a feasible candidate was chosen.</summary>
    public bool IsFeasible => Chosen is not null;

    /// <summary>A one-paragraph explanation for logs and reports.</summary>
    /// <param name="name">How to write a genome (e.g. the family's OFA notation); its gene indices when null.</param>
    public string Describe(Func<Genome, string>? name = null)
    {
        name ??= g => g.ToString();
        if (Chosen is not null)
        {
            return $"Selected {name(Chosen.Genome)}.";
        }

        if (Nearest.Count == 0)
        {
            return "No feasible candidate: nothing was evaluated.";
        }

        var lines = Nearest.Select(n =>
            $"{name(n.Candidate.Genome)}: {string.Join("; ", n.Misses.Select(m => $"{m.Constraint.ObjectiveName} = {m.Constraint.Format(m.Value)} misses {m.Constraint} by {m.Constraint.Format(m.Miss)}"))}");
        return "No feasible candidate. Nearest: " + string.Join(" | ", lines);
    }
}
