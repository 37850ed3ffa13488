using System.Globalization;

namespace HwAwareNas.Core.Evaluation;

/// <summary>A hard bound on one objective, e.g. <c>latency ≤ 5</c>.</summary>
/// <param name="ObjectiveName">The <see cref="Objective.Name"/> the bound applies to.</param>
/// <param name="Comparison">Whether the value must be at most or at least <paramref name="Bound"/>.</param>
/// <param name="Bound">The bound, in the objective's unit.</param>
public sealed record Constraint(string ObjectiveName, ConstraintComparison Comparison, double Bound)
{
    /// <summary>An upper bound: <paramref name="objectiveName"/> ≤ <paramref name="bound"/>.</summary>
    public static Constraint AtMost(string objectiveName, double bound) => new(objectiveName, ConstraintComparison.AtMost, bound);

    /// <summary>A lower bound: <paramref name="objectiveName"/> ≥ <paramref name="bound"/>.</summary>
    public static Constraint AtLeast(string objectiveName, double bound) => new(objectiveName, ConstraintComparison.AtLeast, bound);

    /// <summary>
    /// By how much <paramref name="value"/> misses the bound, in the objective's unit; 0 when it is satisfied.
    /// </summary>
    public double Miss(double value) => Comparison == ConstraintComparison.AtMost
        ? Math.Max(0, value - Bound)
        : Math.Max(0, Bound - value);

    /// <summary>
    /// The miss relative to the bound's magnitude, so constraints in different units add up sensibly into one
    /// violation (a bound of 0 is taken as 1).
    /// </summary>
    public double RelativeMiss(double value) => Miss(value) / (Bound == 0 ? 1 : Math.Abs(Bound));

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{ObjectiveName} {(Comparison == ConstraintComparison.AtMost ? "<=" : ">=")} {Bound}");
}
