namespace HwAwareNas.Core.Diagnostics;

/// <summary>Process exit codes of <c>dotnet hwnas</c>; the MSBuild task maps them to build results.</summary>
public enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Success = 0,

    /// <summary>An unexpected failure (a bug, or an error with no more specific code); the message names the exception type.</summary>
    Failure = 1,

    /// <summary>The configuration (hwnas.yaml or command-line arguments) is invalid.</summary>
    BadConfig = 2,

    /// <summary>
    /// An input the configuration names (checkpoint, dataset, device profile, genome file) is missing or corrupt, or
    /// inputs that belong together do not (e.g. an images file and a labels file with different counts).
    /// </summary>
    MissingInput = 3,

    /// <summary>
    /// The search finished but no sub-network meets the constraints; the report is still written. Likewise
    /// <c>predictors build</c> when its sample budget ran out before the τ/MAPE targets were met (the predictor is still stored).
    /// </summary>
    NoFeasibleModel = 4,

    /// <summary>
    /// The execution provider or runtime rejected a model or a setting, e.g. a provider this ONNX Runtime build does
    /// not have.
    /// </summary>
    RuntimeRejected = 5,

    /// <summary>
    /// The numeric self-check failed: TorchSharp and ONNX Runtime computed different outputs for the same
    /// sub-network on this CPU, so training and accuracy figures from this machine cannot be trusted.
    /// </summary>
    NumericMismatch = 6,

    /// <summary>
    /// A file or folder the command must write (the output folder, the results store, a checkpoint) or read cannot be
    /// accessed: permissions, or a read-only file system. The message names the path. Checked for the output folder
    /// before a search starts.
    /// </summary>
    NotAccessible = 7,

    /// <summary>
    /// The run was interrupted by Ctrl+C (SIGINT) or SIGTERM; finished work is kept in the results store and the
    /// outputs are left as they were.
    /// </summary>
    Cancelled = 130,
}
