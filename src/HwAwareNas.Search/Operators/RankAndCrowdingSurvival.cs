using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// NSGA-II survival: fill the next population front by front under constraint-domination (so hard constraints
/// such as latency ≤ budget push infeasible individuals behind every feasible one); the front that does not fit
/// whole is cut by descending crowding distance, ties broken by genome key for determinism.
/// </summary>
internal sealed class RankAndCrowdingSurvival : ISurvival
{
    /// <inheritdoc />
    public IReadOnlyList<Individual> Survive(IReadOnlyList<Individual> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var vectors = candidates.Select(c => c.Vector.ToArray()).ToList();
        var fronts = NonDominatedSorting.Sort(vectors, [.. candidates.Select(c => c.Violation)]);
        var survivors = new List<Individual>(count);
        for (var rank = 0; rank < fronts.Count && survivors.Count < count; rank++)
        {
            var front = fronts[rank];
            var crowding = CrowdingDistance.Compute([.. front.Select(i => vectors[i])]);
            var ranked = front.Select((index, k) => candidates[index] with { Rank = rank, Crowding = crowding[k] });
            if (survivors.Count + front.Count > count)
            {
                ranked = ranked
                    .OrderByDescending(i => i.Crowding)
                    .ThenBy(i => i.Candidate.Genome.Key, StringComparer.Ordinal)
                    .Take(count - survivors.Count);
            }

            survivors.AddRange(ranked);
        }

        return survivors;
    }
}
