using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Data;

/// <summary>Genomes with one or more measured metrics each (NaN where a metric was not measured).</summary>
/// <param name="Genomes">The genomes, one per row.</param>
/// <param name="MetricNames">Metric column names, in file order.</param>
/// <param name="Metrics">Per metric, one value per genome.</param>
public sealed record MetricTable(
    IReadOnlyList<Genome> Genomes,
    IReadOnlyList<string> MetricNames,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Metrics)
{
    /// <summary>The genomes that have a value for <paramref name="metric"/>, with those values.</summary>
    /// <exception cref="HwNasException">The table has no such metric (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public (IReadOnlyList<Genome> Genomes, IReadOnlyList<double> Values) Select(string metric)
    {
        if (!Metrics.TryGetValue(metric, out var values))
        {
            throw new HwNasException(
                $"The data has no column '{metric}'; it has: {string.Join(", ", MetricNames)}.", ExitCode.BadConfig);
        }

        var rows = Enumerable.Range(0, Genomes.Count).Where(i => !double.IsNaN(values[i])).ToArray();
        return ([.. rows.Select(i => Genomes[i])], [.. rows.Select(i => values[i])]);
    }
}
