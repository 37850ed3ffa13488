using System.Diagnostics;
using System.Globalization;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Progress of one benchmark stage: "bench: stage i/n (elapsed, ETA)" lines, at most one every few seconds so a
/// log stays readable, plus the first and last step.
/// </summary>
internal sealed class Progress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly string _stage;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastPrinted;

    private Progress(string stage, int total)
    {
        _stage = stage;
        _total = total;
    }

    /// <summary>Starts a stage of <paramref name="total"/> steps and prints its first line.</summary>
    public static Progress Start(string stage, int total)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: {stage}: {total} steps"));
        return new Progress(stage, total);
    }

    /// <summary>Prints a plain note line.</summary>
    public static void Note(string text) => Console.WriteLine($"bench: {text}");

    /// <summary>Reports that <paramref name="done"/> of the steps are finished, with <paramref name="detail"/>.</summary>
    public void Step(int done, string detail = "")
    {
        var elapsed = _clock.Elapsed;
        if (done < _total && _lastPrinted is { } last && elapsed - last < Interval)
        {
            return;
        }

        _lastPrinted = elapsed;
        var eta = done > 0 && done < _total ? elapsed * ((_total - done) / (double)done) : TimeSpan.Zero;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"bench: {_stage} {done}/{_total} elapsed {elapsed:hh\\:mm\\:ss} ETA {eta:hh\\:mm\\:ss}{(detail.Length > 0 ? " " + detail : string.Empty)}"));
    }
}
