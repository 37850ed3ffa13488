namespace HwAwareNas.Search.Indicators;

/// <summary>Pareto and constraint dominance between objective vectors in minimization form.</summary>
public static class Dominance
{
    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var strictlyBetter = false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }

            if (a[i] < b[i])
            {
                strictlyBetter = true;
            }
        }

        return strictlyBetter;
    }

    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> on every objective.</summary>
    public static bool WeaklyDominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Deb's constraint-domination: a feasible point dominates an infeasible one; of two infeasible points the
    /// one with the smaller violation dominates; two feasible points compare by Pareto dominance.
    /// </summary>
    public static bool ConstrainedDominates(ReadOnlySpan<double> a, double violationA, ReadOnlySpan<double> b, double violationB)
    {
        var feasibleA = violationA <= 0;
        var feasibleB = violationB <= 0;
        if (feasibleA && feasibleB)
        {
            return Dominates(a, b);
        }

        if (feasibleA != feasibleB)
        {
            return feasibleA;
        }

        return violationA < violationB;
    }
}
