using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Selection;

/// <summary>Picks the one sub-network to export from evaluated candidates (usually the verified front).</summary>
public interface ISelectionPolicy
{
    /// <summary>The constraints a chosen candidate meets.</summary>
    IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>Chooses among <paramref name="candidates"/>, whose values follow <paramref name="objectives"/>.</summary>
    SelectionResult Choose(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates);
}
