using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes a set of exporters' files into an output folder so that a failure never leaves half-written outputs over good
/// ones: every file is first written completely into a temporary folder next to the target (same file system), and only
/// when all exporters have succeeded is each file renamed into place, which replaces the old file in one step.
/// Files in the folder that no exporter writes (e.g. <c>model.onnx</c>) are left alone.
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

    /// <summary>Writes every exporter's file into <paramref name="folder"/>, creating it when missing.</summary>
    /// <param name="summary">The run to report.</param>
    /// <param name="folder">The output folder.</param>
    /// <param name="cancellationToken">Checked before each file is rendered; a cancelled write leaves the folder untouched.</param>
    /// <returns>Full paths of the files written, in exporter order.</returns>
    /// <exception cref="HwNasException">When an exporter fails; the folder's previous files are then untouched.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the folder is untouched.</exception>
    public IReadOnlyList<string> Write(RunSummary summary, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var target = Path.GetFullPath(folder);
        Directory.CreateDirectory(target);
        var staging = Path.Combine(
            Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(target)) ?? target,
            $".{Path.GetFileName(Path.TrimEndingDirectorySeparator(target))}.report-{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var exporter in _exporters)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Stage(summary, exporter, Path.Combine(staging, exporter.FileName));
            }

            cancellationToken.ThrowIfCancellationRequested();

            var written = new List<string>(_exporters.Count);
            foreach (var exporter in _exporters)
            {
                var destination = Path.Combine(target, exporter.FileName);
                File.Move(Path.Combine(staging, exporter.FileName), destination, overwrite: true);
                written.Add(destination);
            }

            return written;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static void Stage(RunSummary summary, IReportExporter exporter, string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            exporter.Write(summary, stream);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is not HwNasException)
        {
            throw new HwNasException($"Writing {exporter.FileName} ({exporter.Name}) failed: {ex.Message}", ExitCode.Failure, ex);
        }
    }
}
