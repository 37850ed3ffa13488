namespace HwAwareNas.Core.Diagnostics;

/// <summary>
/// The root of every error HwAwareNas raises on purpose: bad input, missing files, impossible constraints.
/// Carries the diagnostics that explain it and the process exit code the tool should end with.
/// </summary>
public class HwNasException : Exception
{
    /// <summary>Creates an exception with one message and the given exit code.</summary>
    public HwNasException(string message, ExitCode exitCode = ExitCode.Failure, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Diagnostics = [];
    }

    /// <summary>Creates an exception that reports several diagnostics at once.</summary>
    public HwNasException(IReadOnlyList<Diagnostic> diagnostics, ExitCode exitCode)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
    {
        ExitCode = exitCode;
        Diagnostics = diagnostics;
    }

    /// <summary>The process exit code the tool should end with.</summary>
    public ExitCode ExitCode { get; }

    /// <summary>The located problems behind this exception (empty when only <see cref="Exception.Message"/> applies).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
