namespace HwAwareNas.Core.Evaluation;

/// <summary>One quantity a search trades off, e.g. accuracy (maximize, %) or latency (minimize, ms).</summary>
/// <param name="Name">Name as written in hwnas.yaml, e.g. <c>accuracy</c> or <c>latency</c>.</param>
/// <param name="Direction">Whether smaller or larger values are better.</param>
/// <param name="Unit">Unit for reports, e.g. <c>%</c> or <c>ms</c>.</param>
public sealed record Objective(string Name, ObjectiveDirection Direction, string Unit)
{
    /// <summary>Accuracy in percent, maximized.</summary>
    public static Objective Accuracy { get; } = new("accuracy", ObjectiveDirection.Maximize, "%");

    /// <summary>Latency in milliseconds, minimized.</summary>
    public static Objective Latency { get; } = new("latency", ObjectiveDirection.Minimize, "ms");

    /// <summary>
    /// The value mapped so that smaller is always better (maximized objectives are negated), which is the form
    /// dominance and hypervolume work in.
    /// </summary>
    public double ToMinimization(double value) => Direction == ObjectiveDirection.Maximize ? -value : value;
}
