namespace HwAwareNas.Core.Evaluation;

/// <summary>Where a candidate's objective values come from.</summary>
public enum EvaluationOrigin
{
    /// <summary>Measured live: the super-network evaluated, the sub-network timed on the device.</summary>
    Measured,

    /// <summary>Estimated by a predictor (surrogate model).</summary>
    Predicted,
}
