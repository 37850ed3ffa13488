using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Tool;

namespace HwAwareNas.Cluster.Tests;

/// <summary>Writes each line with the seconds since it was created: when a notice came shows what the caller waited for.</summary>
internal sealed class TimedWriter : StringWriter
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private bool _lineStart = true;

    public override void Write(char value)
    {
        if (_lineStart)
        {
            base.Write(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] "));
        }

        base.Write(value);
        _lineStart = value == '\n';
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write(CoreNewLine, 0, CoreNewLine.Length);
    }
}

/// <summary>The outcome of one CLI run.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error, TimeSpan Elapsed)
{
    public ExitCode Code => (ExitCode)ExitCode;

    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s{Environment.NewLine}stdout:{Environment.NewLine}{Out}stderr:{Environment.NewLine}{Error}";
}

internal static class Cli
{
    /// <summary>Runs <c>hwnas</c> with <paramref name="args"/> in this process.</summary>
    public static CliResult Run(params string[] args)
    {
        var console = new CapturedConsole(error: new TimedWriter());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var exit = Program.Run(args, console);
        return new CliResult(exit, console.OutText, console.ErrorText, clock.Elapsed);
    }
}

/// <summary>One row of <c>hwnas profile --json</c>.</summary>
internal sealed record SurveyRow(string Genome, double LatencyMs, double MedianMs, double P10Ms, bool FromStore, string? MeasuredBy);

/// <summary>What <c>hwnas profile --json</c> printed: the device's fingerprint key and the rows.</summary>
internal sealed record Survey(string Fingerprint, IReadOnlyList<SurveyRow> Rows)
{
    public static Survey Parse(CliResult result)
    {
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().Select(r => new SurveyRow(
            r.GetProperty("genome").GetString()!,
            r.GetProperty("latency_ms").GetDouble(),
            r.GetProperty("median_ms").GetDouble(),
            r.GetProperty("p10_ms").GetDouble(),
            r.GetProperty("from_store").GetBoolean(),
            r.GetProperty("measured_by").GetString())).ToList();
        return new Survey(root.GetProperty("fingerprint").GetString()!, rows);
    }
}
