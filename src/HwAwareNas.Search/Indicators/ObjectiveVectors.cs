using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Indicators;

/// <summary>Turns candidates into the minimization-form vectors the indicators work on.</summary>
public static class ObjectiveVectors
{
    /// <summary>The candidate's values with maximized objectives negated.</summary>
    public static double[] ToMinimization(IReadOnlyList<Objective> objectives, EvaluatedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Values.Count != objectives.Count)
        {
            throw new ArgumentException(
                $"Candidate {candidate.Genome} has {candidate.Values.Count} values for {objectives.Count} objectives.",
                nameof(candidate));
        }

        var vector = new double[objectives.Count];
        for (var k = 0; k < vector.Length; k++)
        {
            vector[k] = objectives[k].ToMinimization(candidate.Values[k]);
        }

        return vector;
    }

    /// <summary><see cref="ToMinimization(IReadOnlyList{Objective}, EvaluatedCandidate)"/> for every candidate.</summary>
    public static double[][] ToMinimization(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Select(c => ToMinimization(objectives, c))];
    }
}
