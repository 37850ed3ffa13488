namespace HwAwareNas.Core.Evaluation;

/// <summary>Whether smaller or larger values of an objective are better.</summary>
public enum ObjectiveDirection
{
    /// <summary>Smaller is better (latency, size, MACs).</summary>
    Minimize,

    /// <summary>Larger is better (accuracy).</summary>
    Maximize,
}
