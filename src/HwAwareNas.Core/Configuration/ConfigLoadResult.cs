using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Configuration;

/// <summary>The outcome of validating a configuration: the configuration when valid, and every problem found.</summary>
/// <param name="Config">The configuration, or null when any error was found.</param>
/// <param name="Diagnostics">Every problem found, in file order per file.</param>
public sealed record ConfigLoadResult(HwNasConfig? Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Whether the configuration is valid.</summary>
    public bool IsValid => Config is not null;

    /// <summary>
    /// The exit code the problems call for: <see cref="ExitCode.MissingInput"/> when every problem is a missing
    /// file, <see cref="ExitCode.BadConfig"/> when any is a mistake in the file, success when there are none.
    /// </summary>
    public ExitCode ExitCode => Diagnostics.Count == 0
        ? ExitCode.Success
        : Diagnostics.All(d => ConfigDiagnosticCodes.MissingInputCodes.Contains(d.Code)) ? ExitCode.MissingInput : ExitCode.BadConfig;
}
