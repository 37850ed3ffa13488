using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// NSGA-II whose initial population is given: the best population of an earlier search (another device or
/// thread count; DyNAS-T reports an order of magnitude fewer evaluations) or genomes written in OFA notation.
/// </summary>
public static class WarmStartSearch
{
    /// <summary>The strategy's name and study stage.</summary>
    public const string Name = "warm-start";

    /// <summary>A search starting from <paramref name="initialPopulation"/>.</summary>
    public static EvolutionarySearch From(IReadOnlyList<Genome> initialPopulation, Nsga2Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new EvolutionarySearch(settings with { InitialPopulation = initialPopulation }, Name);
    }

    /// <summary>
    /// Reads genomes in OFA notation, one JSON object per non-blank line (lines starting with <c>#</c> are
    /// comments); malformed lines throw <see cref="HwNasException"/>, located as <c>file:line</c> when
    /// <paramref name="file"/> is given (lines are numbered from 1 in the order given).
    /// </summary>
    public static IReadOnlyList<Genome> ReadOfaNotation(ISearchSpace space, IEnumerable<string> lines, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(lines);
        var genomes = new List<Genome>();
        var number = 0;
        foreach (var line in lines.Select(l => l.Trim()))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                genomes.Add(space.ParseGenome(line));
            }
            catch (HwNasException e) when (file is not null)
            {
                throw new HwNasException(string.Create(CultureInfo.InvariantCulture, $"{file}:{number}: {e.Message}"), e.ExitCode, e);
            }
        }

        return genomes;
    }

    /// <summary>The latest recorded population of an earlier study (any stage); empty when it has none.</summary>
    public static IReadOnlyList<Genome> FromStudy(IStudyStorage earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return earlier.Generations.Count == 0 ? [] : [.. earlier.Generations[^1].Population.Select(c => c.Genome)];
    }
}
