namespace HwAwareNas.Measurement;

/// <summary>
/// The seam between the measurement engine and an inference runtime: loads a model into something that can be
/// run once at a time. Tests replace it with scripted durations so stages and statistics need no real timing.
/// </summary>
internal interface IInferenceBackend
{
    /// <summary>Loads <paramref name="request"/>'s model; with <paramref name="collectOperatorProfile"/>, per-node timing is on.</summary>
    IInferenceRunner Load(ProfileRequest request, bool collectOperatorProfile);
}

/// <summary>A loaded model.</summary>
internal interface IInferenceRunner : IDisposable
{
    /// <summary>Milliseconds it took to load the model (create the session).</summary>
    double SessionCreationMs { get; }

    /// <summary>Runs one inference and returns how long it took in milliseconds.</summary>
    double Run();

    /// <summary>Ends operator profiling and returns per-node timings averaged over the last <paramref name="lastRuns"/> runs.</summary>
    IReadOnlyList<OperatorTiming> EndOperatorProfile(int lastRuns);
}
