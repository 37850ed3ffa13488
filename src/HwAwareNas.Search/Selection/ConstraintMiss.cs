using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Selection;

/// <summary>How a candidate misses one constraint.</summary>
/// <param name="Constraint">The constraint.</param>
/// <param name="Value">The candidate's value of the constrained objective.</param>
/// <param name="Miss">By how much it misses the bound, in the objective's unit (greater than 0).</param>
public sealed record ConstraintMiss(Constraint Constraint, double Value, double Miss);
