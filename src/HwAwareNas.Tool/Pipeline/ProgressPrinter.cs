using System.Globalization;
using HwAwareNas.Core.Evaluation;
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

    /// <summary>The objectives of the values reported, for names and units (empty: values only).</summary>
    public IReadOnlyList<Objective> Objectives { get; set; } = [];

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
        var best = value.BestSoFar is { } b ? string.Join(", ", b.Values.Select(Format)) : "none feasible yet";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"hwnas: {value.Stage} {value.EvaluationsDone}/{value.EvaluationsBudget} best: {best}; ETA {eta:hh\\:mm\\:ss}");
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

    // Accuracy in percent, as the reports give it; the others in their own units.
    private string Format(double value, int index)
    {
        if (index >= Objectives.Count)
        {
            return value.ToString("0.####", CultureInfo.InvariantCulture);
        }

        var objective = Objectives[index];
        return objective == Objective.Accuracy
            ? string.Create(CultureInfo.InvariantCulture, $"{objective.Name} {value * CandidateFacts.PercentPerFraction:0.00} %")
            : string.Create(CultureInfo.InvariantCulture, $"{objective.Name} {value:0.####} {objective.Unit}");
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
