using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool;

/// <summary>Writes diagnostics to standard error in the MSBuild canonical format, which IDEs and CI annotate.</summary>
internal static class DiagnosticOutput
{
    /// <summary>Writes one line per diagnostic.</summary>
    public static void Write(IConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            console.Error.WriteLine(diagnostic.ToString());
        }
    }
}
