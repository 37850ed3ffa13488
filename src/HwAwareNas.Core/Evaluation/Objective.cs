namespace HwAwareNas.Core.Evaluation;

/// <summary>One quantity a search trades off, e.g. accuracy (maximize, a fraction) or latency (minimize, ms).</summary>
/// <param name="Name">Name as written in hwnas.yaml, e.g. <c>accuracy</c> or <c>latency</c>.</param>
/// <param name="Direction">Whether smaller or larger values are better.</param>
/// <param name="Unit">Unit of the values searches and evaluators work with, e.g. <c>fraction</c> or <c>ms</c>.</param>
public sealed record Objective(string Name, ObjectiveDirection Direction, string Unit)
{
    /// <summary>Top-1 accuracy as a fraction (0 to 1), maximized; reports show it in percent.</summary>
    public static Objective Accuracy { get; } = new("accuracy", ObjectiveDirection.Maximize, "fraction");

    /// <summary>Latency in milliseconds, minimized.</summary>
    public static Objective Latency { get; } = new("latency", ObjectiveDirection.Minimize, "ms");

    /// <summary>
    /// Latency in milliseconds on one of several devices a run searches for at once (<c>latency@&lt;device&gt;</c>),
    /// minimized.
    /// </summary>
    public static Objective LatencyOn(string device)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        return new(Latency.Name + DeviceSeparator + device, ObjectiveDirection.Minimize, Latency.Unit);
    }

    /// <summary>Whether this is a measured latency: <see cref="Latency"/>, or one device's (<see cref="LatencyOn"/>).</summary>
    public bool IsLatency => this == Latency || (Name.StartsWith(Latency.Name + DeviceSeparator, StringComparison.Ordinal) && Unit == Latency.Unit);

    private const char DeviceSeparator = '@';

    /// <summary>Number of parameters, minimized.</summary>
    public static Objective Params { get; } = new("params", ObjectiveDirection.Minimize, "parameters");

    /// <summary>Multiply-accumulates per image, minimized.</summary>
    public static Objective Macs { get; } = new("macs", ObjectiveDirection.Minimize, "MACs");

    /// <summary>Model size in megabytes (fp32 weights), minimized; its constraint is <c>constraints.size_mb</c>.</summary>
    public static Objective Size { get; } = new("size", ObjectiveDirection.Minimize, "MB");

    /// <summary>The objective hwnas.yaml's <c>objectives</c> entry <paramref name="objective"/> names.</summary>
    public static Objective Of(Configuration.ObjectiveKind objective) => objective switch
    {
        Configuration.ObjectiveKind.Accuracy => Accuracy,
        Configuration.ObjectiveKind.Latency => Latency,
        Configuration.ObjectiveKind.Params => Params,
        Configuration.ObjectiveKind.Macs => Macs,
        Configuration.ObjectiveKind.Size => Size,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "Unknown objective."),
    };

    /// <summary>
    /// The value mapped so that smaller is always better (maximized objectives are negated), which is the form
    /// dominance and hypervolume work in.
    /// </summary>
    public double ToMinimization(double value) => Direction == ObjectiveDirection.Maximize ? -value : value;
}
