using System.Globalization;

namespace HwAwareNas.Core.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Worth knowing; the run goes on.</summary>
    Warning,

    /// <summary>The run cannot go on.</summary>
    Error,
}

/// <summary>
/// One located problem in an input file. <see cref="ToString"/> writes the MSBuild/Visual Studio
/// canonical error format (<c>file(line,col): error CODE: message (expected)</c>) so IDEs can jump to it.
/// </summary>
/// <param name="Code">A stable code such as <c>HWNAS1001</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="File">The file the problem is in, as the user named it.</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="Key">The dotted key path the problem is about, e.g. <c>device.threads</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Expected">What is expected instead, or how to fix it.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string File,
    int Line,
    int Column,
    string Key,
    string Message,
    string Expected)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var location = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column})")
            : File;
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var expected = string.IsNullOrEmpty(Expected) ? string.Empty : $" ({Expected})";
        return $"{location}: {severity} {Code}: {Message}{expected}";
    }
}
