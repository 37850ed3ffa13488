namespace HwAwareNas.Benchmarks;

/// <summary>What every suite works with.</summary>
/// <param name="Settings">The run's sizes.</param>
/// <param name="Sample">The sample super-network, data and measured table.</param>
/// <param name="SampleYaml">The sample's own hwnas.yaml.</param>
/// <param name="WorkFolder">Scratch folder for derived configs, child runs and logs (not committed).</param>
/// <param name="ToolDll">HwAwareNas.Tool.dll, run as a child process for <c>optimize</c> and <c>train</c>.</param>
/// <param name="Root">The repository root.</param>
/// <param name="Options">The command line.</param>
internal sealed record BenchmarkRun(
    BenchmarkSettings Settings, LiveSample Sample, string SampleYaml, string WorkFolder, string ToolDll, string Root, BenchmarkOptions Options);
