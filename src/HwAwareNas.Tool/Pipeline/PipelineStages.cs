namespace HwAwareNas.Tool.Pipeline;

/// <summary>The stages of <c>hwnas optimize</c>, in the order DESIGN.md and the report list them.</summary>
internal static class PipelineStages
{
    /// <summary>Loading the trained super-network and the data (optimize never trains; <c>hwnas train</c> does).</summary>
    public const string Train = "Train";

    /// <summary>Setting up the latency profiler and evaluating sub-networks live during the search.</summary>
    public const string Profile = "Profile";

    /// <summary>Fitting predictors: the surrogates during the search and the held-out quality check.</summary>
    public const string Fit = "Fit";

    /// <summary>The search itself, less the live evaluations and fits it asked for.</summary>
    public const string Search = "Search";

    /// <summary>Re-measuring the front.</summary>
    public const string Verify = "Verify";

    /// <summary>Writing model.onnx (and the front's models).</summary>
    public const string Export = "Export";

    /// <summary>Assembling the run summary the reports are rendered from.</summary>
    public const string Report = "Report";

    /// <summary>Every stage, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [Train, Profile, Fit, Search, Verify, Export, Report];
}
