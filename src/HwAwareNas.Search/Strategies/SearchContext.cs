using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Strategies;

/// <summary>What every strategy works with.</summary>
/// <param name="Space">The search space.</param>
/// <param name="LiveEvaluator">The evaluator whose values count (measurement, or a stand-in in tests).</param>
/// <param name="Constraints">Hard constraints, handled by constraint-domination.</param>
/// <param name="Storage">The study every live trial and generation is appended to; a non-empty one is resumed.</param>
/// <param name="Seed">Seed of every random choice.</param>
/// <param name="Progress">Receives progress reports, or null.</param>
public sealed record SearchContext(
    ISearchSpace Space,
    IEvaluator LiveEvaluator,
    IReadOnlyList<Constraint> Constraints,
    IStudyStorage Storage,
    int Seed = 1,
    IProgress<SearchProgress>? Progress = null)
{
    /// <summary>The live evaluator's objectives.</summary>
    public IReadOnlyList<Objective> Objectives => LiveEvaluator.Objectives;

    /// <summary>The live evaluator wrapped so trials are recorded (and not repeated) under <paramref name="stage"/>.</summary>
    public StudyEvaluator Recorded(string stage) => new(Space, LiveEvaluator, Storage, stage);

    /// <summary>Every measured trial of the study, constraints applied.</summary>
    public IReadOnlyList<EvaluatedCandidate> MeasuredTrials() =>
        [.. Storage.Trials.Select(t => t.Candidate.WithConstraints(Objectives, Constraints))];

    /// <summary>Reports progress with the best feasible measured trial so far.</summary>
    public void Report(string stage, int budget)
    {
        if (Progress is null)
        {
            return;
        }

        var trials = MeasuredTrials();
        var first = Objectives[0];
        var best = trials.Where(c => c.IsFeasible)
            .OrderBy(c => first.ToMinimization(c.Values[0]))
            .ThenBy(c => c.Genome.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        Progress.Report(new SearchProgress(stage, trials.Count, budget, best));
    }
}
