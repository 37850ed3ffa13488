namespace HwAwareNas.Tool.Pipeline;

/// <summary>What <c>hwnas optimize</c> was asked to do: the config plus command-line overrides.</summary>
/// <param name="ConfigPath">hwnas.yaml.</param>
/// <param name="OutputDir">Output folder replacing <c>output.dir</c>, or null.</param>
/// <param name="Device">Device profile name replacing the file's <c>device:</c> section, or null.</param>
/// <param name="Validations">Live-evaluation budget replacing <c>search.validations</c>, or null.</param>
/// <param name="MaxTime">Wall-time budget replacing <c>search.max_time</c>, or null.</param>
/// <param name="MsBuildLog">Whether output is read by MSBuild (plain lines, canonical error format).</param>
/// <param name="StopWhenMet">Whether to stop once the constraints are met (true overrides <c>search.stop_when_met</c>).</param>
internal sealed record OptimizeRequest(
    string ConfigPath, string? OutputDir, string? Device, int? Validations, TimeSpan? MaxTime, bool MsBuildLog, bool StopWhenMet = false)
{
    /// <summary>Device profiles replacing the file's <c>devices:</c> list (a run over several devices); empty keeps the file's.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
}
