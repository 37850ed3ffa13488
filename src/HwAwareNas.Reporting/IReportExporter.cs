namespace HwAwareNas.Reporting;

/// <summary>
/// Renders a <see cref="RunSummary"/> into one output file. Exporters are small plug-ins over the immutable summary, so
/// a new format needs no change anywhere else and one failing exporter cannot corrupt another's file.
/// </summary>
public interface IReportExporter
{
    /// <summary>Short name used in messages, e.g. <c>html</c>.</summary>
    string Name { get; }

    /// <summary>The file name the output is written under, e.g. <c>report.html</c>.</summary>
    string FileName { get; }

    /// <summary>Writes the summary to <paramref name="output"/> as UTF-8 without a byte order mark; leaves the stream open.</summary>
    /// <param name="summary">The run to report.</param>
    /// <param name="output">Where to write.</param>
    void Write(RunSummary summary, Stream output);
}
