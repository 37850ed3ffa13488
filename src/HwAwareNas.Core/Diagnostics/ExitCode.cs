namespace HwAwareNas.Core.Diagnostics;

/// <summary>Process exit codes of <c>dotnet hwnas</c>; the MSBuild task maps them to build results.</summary>
public enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Success = 0,

    /// <summary>An unexpected failure (a bug, or an error with no more specific code).</summary>
    Failure = 1,

    /// <summary>The configuration (hwnas.yaml or command-line arguments) is invalid.</summary>
    BadConfig = 2,

    /// <summary>An input the configuration names (checkpoint, dataset, device profile) is missing or corrupt.</summary>
    MissingInput = 3,

    /// <summary>
    /// The search finished but no sub-network meets the constraints; the report is still written. Likewise
    /// <c>predictors build</c> when its sample budget ran out before the τ/MAPE targets were met (the predictor is still stored).
    /// </summary>
    NoFeasibleModel = 4,

    /// <summary>The execution provider or runtime rejected a model or a setting.</summary>
    RuntimeRejected = 5,

    /// <summary>
    /// The numeric self-check failed: TorchSharp and ONNX Runtime computed different outputs for the same
    /// sub-network on this CPU, so training and accuracy figures from this machine cannot be trusted.
    /// </summary>
    NumericMismatch = 6,

    /// <summary>The user interrupted the run (Ctrl+C); finished work is kept in the results store.</summary>
    Cancelled = 130,
}
