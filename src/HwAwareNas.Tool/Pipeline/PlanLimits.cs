using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Search.Selection;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The static constraints (params, MACs, size) that follow from a sub-network's plan without measuring it. When the
/// quantity is also a search objective the search handles the bound itself; either way, candidates over a limit are
/// never selected.
/// </summary>
internal sealed class PlanLimits
{
    private readonly StructuralCosts _costs;

    public PlanLimits(IElasticFamily family, ConstraintsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _costs = new StructuralCosts(family);
        var constraints = new List<Constraint>();
        if (options.Params is { } parameters)
        {
            constraints.Add(Constraint.AtMost(Objective.Params.Name, parameters));
        }

        if (options.Macs is { } macs)
        {
            constraints.Add(Constraint.AtMost(Objective.Macs.Name, macs));
        }

        if (options.SizeMb is { } size)
        {
            constraints.Add(Constraint.AtMost(Objective.Size.Name, size));
        }

        Constraints = constraints;
    }

    /// <summary>constraints.params, .macs and .size_mb as bounds on the params, macs and size (MB) objectives.</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>Whether <paramref name="candidate"/> meets every limit (fp32 weights for the size).</summary>
    public bool Allows(EvaluatedCandidate candidate) => Misses(candidate).Count == 0;

    /// <summary>The limits <paramref name="candidate"/> misses, and by how much.</summary>
    public IReadOnlyList<ConstraintMiss> Misses(EvaluatedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var misses = new List<ConstraintMiss>();
        foreach (var constraint in Constraints)
        {
            var objective = constraint.ObjectiveName == Objective.Params.Name ? Objective.Params
                : constraint.ObjectiveName == Objective.Macs.Name ? Objective.Macs
                : Objective.Size;
            var value = _costs.ValueOf(objective, candidate.Genome);
            if (constraint.Miss(value) > 0)
            {
                misses.Add(new ConstraintMiss(constraint, value, constraint.Miss(value)));
            }
        }

        return misses;
    }
}
