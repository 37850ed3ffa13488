using System.Globalization;

namespace HwAwareNas.Core.Evaluation;

/// <summary>A hard bound on one objective, e.g. <c>latency ≤ 5</c>.</summary>
/// <param name="ObjectiveName">The <see cref="Objective.Name"/> the bound applies to.</param>
/// <param name="Comparison">Whether the value must be at most or at least <paramref name="Bound"/>.</param>
/// <param name="Bound">The bound, in the objective's unit.</param>
public sealed record Constraint(string ObjectiveName, ConstraintComparison Comparison, double Bound)
{
    /// <summary>
    /// Names a set of alternative constraints, or null for a constraint that always holds: a candidate has to meet only
    /// one constraint of a set (e.g. one run for several devices searches for sub-networks that meet the latency budget
    /// of at least one device), so the set's violation is the smallest of its members'.
    /// </summary>
    public string? AnyOf { get; init; }

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

    /// <summary>
    /// <paramref name="value"/> of this objective as people read it: six significant digits (no binary noise such as
    /// <c>0.0009699999999999999</c>) and the unit, e.g. <c>0.00097 ms</c>.
    /// </summary>
    public string Format(double value)
    {
        var number = value == Math.Round(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
        return number + UnitSuffix;
    }

    /// <inheritdoc />
    public override string ToString() => $"{ObjectiveName} {(Comparison == ConstraintComparison.AtMost ? "<=" : ">=")} {Format(Bound)}";

    // Accuracy bounds are fractions, written bare as hwnas.yaml's constraints.accuracy is (reports show percent).
    private string UnitSuffix =>
        new[] { Objective.Latency, Objective.Params, Objective.Macs, Objective.Size }.FirstOrDefault(o => o.Name == ObjectiveName) is { } objective
            ? " " + objective.Unit
            : string.Empty;
}
