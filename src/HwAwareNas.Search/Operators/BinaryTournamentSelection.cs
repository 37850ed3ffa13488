namespace HwAwareNas.Search.Operators;

/// <summary>
/// NSGA-II's binary tournament: two random individuals meet; the one that constraint-dominates wins (feasible over
/// infeasible, then smaller violation), else the lower rank, else the larger crowding distance, else a coin flip.
/// </summary>
internal sealed class BinaryTournamentSelection : ISelection
{
    /// <inheritdoc />
    public IReadOnlyList<int> SelectParents(IReadOnlyList<Individual> population, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(random);
        if (population.Count == 0)
        {
            throw new ArgumentException("Cannot select parents from an empty population.", nameof(population));
        }

        var winners = new int[count];
        for (var t = 0; t < count; t++)
        {
            var a = random.Next(population.Count);
            var b = random.Next(population.Count);
            winners[t] = Winner(population, a, b, random);
        }

        return winners;
    }

    private static int Winner(IReadOnlyList<Individual> population, int a, int b, Random random)
    {
        var x = population[a];
        var y = population[b];
        if (x.Violation > 0 || y.Violation > 0)
        {
            if (x.Violation != y.Violation)
            {
                return x.Violation < y.Violation ? a : b;
            }
        }

        if (x.Rank != y.Rank)
        {
            return x.Rank < y.Rank ? a : b;
        }

        if (x.Crowding != y.Crowding)
        {
            return x.Crowding > y.Crowding ? a : b;
        }

        return random.NextDouble() < 0.5 ? a : b;
    }
}
