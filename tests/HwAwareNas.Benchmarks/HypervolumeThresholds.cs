using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// "Validations to reach x % of the reference hypervolume" for the search suites (live sample and OFA oracle): when each
/// run first reached each level, and the table of those counts per strategy with the ratio to a baseline strategy.
/// </summary>
internal static class HypervolumeThresholds
{
    /// <summary>
    /// The fewest leading trials of <paramref name="trials"/> whose front reaches <paramref name="level"/> (hypervolume
    /// against <paramref name="point"/>), or null when all of them do not.
    /// </summary>
    public static int? FirstReaching(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> trials, double[] point, double level)
    {
        // The front only grows with more trials, so the first prefix reaching the level is found by bisection.
        int low = 1, high = trials.Count;
        if (high == 0 || ReferencePoint.HypervolumeOf(objectives, trials, point) < level)
        {
            return null;
        }

        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ReferencePoint.HypervolumeOf(objectives, trials.Take(middle), point) >= level)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>
    /// The table: per strategy (in <paramref name="names"/>' order) the mean ± stdev of <paramref name="firsts"/>
    /// (one list per threshold, one entry per seed, null when a seed never reached it) with how many seeds reached it,
    /// then the ratio <paramref name="baseline"/>'s mean ÷ the strategy's, shown when both reached the level in every seed.
    /// </summary>
    public static ResultTable Table(
        string file, string title, string note, IReadOnlyList<string> names, IReadOnlyDictionary<string, List<List<int?>>> firsts,
        IReadOnlyList<double> thresholds, int seeds, string baseline)
    {
        var rows = new List<string[]>();
        foreach (var name in names)
        {
            var row = new List<string> { name };
            for (var t = 0; t < thresholds.Count; t++)
            {
                var reached = firsts[name][t].OfType<int>().Select(v => (double)v).ToList();
                row.Add(reached.Count == 0 ? $"not reached (0/{seeds})" : $"{Cell.MeanStdev(reached, "F0")} ({reached.Count}/{seeds})");
            }

            for (var t = 0; t < thresholds.Count; t++)
            {
                var mine = firsts[name][t];
                var reference = firsts[baseline][t];
                row.Add(mine.All(v => v is not null) && reference.All(v => v is not null)
                    ? Cell.Of(reference.Average(v => (double)v!) / mine.Average(v => (double)v!), "F2") + "×"
                    : "—");
            }

            rows.Add([.. row]);
        }

        return new ResultTable(
            file, title, note,
            ["strategy", .. thresholds.Select(t => $"to {t * 100:F0} %"), .. thresholds.Select(t => $"ratio {t * 100:F0} %")],
            rows);
    }
}
