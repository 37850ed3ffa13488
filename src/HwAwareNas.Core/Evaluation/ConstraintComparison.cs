namespace HwAwareNas.Core.Evaluation;

/// <summary>How a constraint compares an objective value with its bound.</summary>
public enum ConstraintComparison
{
    /// <summary>The value must be at most the bound (e.g. latency ≤ 5 ms).</summary>
    AtMost,

    /// <summary>The value must be at least the bound (e.g. accuracy ≥ 80 %).</summary>
    AtLeast,
}
