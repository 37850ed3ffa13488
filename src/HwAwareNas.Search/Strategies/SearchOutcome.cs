using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>What a strategy found.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Front">The measured (verified) Pareto front: feasible and non-dominated under live values.</param>
/// <param name="Measured">Every live-measured candidate of the study, constraints applied.</param>
/// <param name="FinalPopulation">The genomes of the last population (for warm-starting a later search).</param>
public sealed record SearchOutcome(
    string Strategy,
    ParetoFront Front,
    IReadOnlyList<EvaluatedCandidate> Measured,
    IReadOnlyList<EvaluatedCandidate> FinalPopulation)
{
    /// <summary>
    /// The outcome of <paramref name="strategy"/> whose front is that of every live measurement in
    /// <paramref name="context"/>'s study (every strategy but full, which verifies a predicted front instead).
    /// </summary>
    public static SearchOutcome OfStudy(string strategy, SearchContext context, IReadOnlyList<EvaluatedCandidate> finalPopulation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var measured = context.MeasuredTrials();
        return new SearchOutcome(strategy, ParetoFront.Of(context.Objectives, measured), measured, finalPopulation);
    }
}
