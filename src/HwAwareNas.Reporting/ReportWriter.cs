using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes a set of exporters' files into a folder. It writes in place: a caller that must not leave half-written
/// outputs over good ones writes into a staging folder and moves the files when all are written (as <c>optimize</c>'s
/// output folder does for the model and the reports together). Files in the folder that no exporter writes are left alone.
/// </summary>
public sealed class ReportWriter
{
    private readonly IReadOnlyList<IReportExporter> _exporters;

    /// <summary>Creates a writer for the given exporters.</summary>
    /// <param name="exporters">The exporters to run; their file names must be distinct plain file names.</param>
    /// <exception cref="HwNasException">When a file name is empty, contains a path, or is used twice.</exception>
    public ReportWriter(IEnumerable<IReportExporter> exporters)
    {
        ArgumentNullException.ThrowIfNull(exporters);
        _exporters = [.. exporters];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var exporter in _exporters)
        {
            var name = exporter.FileName;
            if (string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name is "." or "..")
            {
                throw new HwNasException($"Exporter '{exporter.Name}' has an invalid file name '{name}': expected a plain file name.", ExitCode.Failure);
            }

            if (!seen.Add(name))
            {
                throw new HwNasException($"Two exporters write the same file '{name}'.", ExitCode.Failure);
            }
        }
    }

    /// <summary>The standard outputs: <c>report.html</c>, <c>report.md</c>, <c>results.json</c> and <c>pareto.csv</c>.</summary>
    public static ReportWriter CreateDefault() => new(
    [
        new HtmlReportExporter(),
        new MarkdownReportExporter(),
        new JsonResultsExporter(),
        new CsvParetoExporter(),
    ]);

    /// <summary>Writes every exporter's file into <paramref name="folder"/>, creating it when missing and replacing older files.</summary>
    /// <param name="summary">The run to report.</param>
    /// <param name="folder">The output folder.</param>
    /// <param name="cancellationToken">Checked before each file is rendered.</param>
    /// <returns>Full paths of the files written, in exporter order.</returns>
    /// <exception cref="HwNasException">When an exporter fails; its file may then be partly written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<string> Write(RunSummary summary, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var target = Path.GetFullPath(folder);
        Directory.CreateDirectory(target);
        var written = new List<string>(_exporters.Count);
        foreach (var exporter in _exporters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(target, exporter.FileName);
            WriteFile(summary, exporter, path);
            written.Add(path);
        }

        return written;
    }

    private static void WriteFile(RunSummary summary, IReportExporter exporter, string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            exporter.Write(summary, stream);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is not HwNasException)
        {
            throw new HwNasException($"Writing {exporter.FileName} ({exporter.Name}) failed: {ex.Message}", ExitCode.Failure, ex);
        }
    }
}
