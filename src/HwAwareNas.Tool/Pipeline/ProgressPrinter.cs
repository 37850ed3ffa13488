using System.Globalization;
using HwAwareNas.Search.Strategies;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Prints search progress (stage, k of N, best so far, ETA): rewritten in place on an interactive terminal, one
/// plain line per report when output is redirected or MSBuild reads it.
/// </summary>
internal sealed class ProgressPrinter(IConsole console, bool inPlace) : IProgress<SearchProgress>
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private bool _lineOpen;

    /// <summary>Writes a stage line (ends any in-place line first).</summary>
    public void Stage(string text)
    {
        EndLine();
        console.Out.WriteLine($"hwnas: {text}");
    }

    /// <inheritdoc />
    public void Report(SearchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var elapsed = DateTimeOffset.UtcNow - _started;
        var eta = value.Fraction is > 0 and < 1 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - value.Fraction) / value.Fraction) : TimeSpan.Zero;
        var best = value.BestSoFar is { } b
            ? string.Join(", ", b.Values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))
            : "none feasible yet";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"hwnas: {value.Stage} {value.EvaluationsDone}/{value.EvaluationsBudget} best [{best}] ETA {eta:hh\\:mm\\:ss}");
        if (inPlace)
        {
            console.Out.Write("\r" + line.PadRight(100));
            _lineOpen = true;
        }
        else
        {
            console.Out.WriteLine(line);
        }
    }

    /// <summary>Ends the in-place line, if one is open.</summary>
    public void EndLine()
    {
        if (_lineOpen)
        {
            console.Out.WriteLine();
            _lineOpen = false;
        }
    }
}
