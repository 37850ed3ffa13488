using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Study;

/// <summary>
/// Wraps a live evaluator: genomes the study already measured (judged on the canonical genome) are answered from
/// the study instead of being measured again, and every new measurement is appended as a trial. This is what
/// lets a resumed search continue without re-evaluating.
/// </summary>
public sealed class StudyEvaluator : IEvaluator
{
    private readonly ISearchSpace _space;
    private readonly IEvaluator _inner;
    private readonly IStudyStorage _storage;
    private readonly string _stage;

    /// <summary>Creates the wrapper; new trials are recorded under <paramref name="stage"/>.</summary>
    public StudyEvaluator(ISearchSpace space, IEvaluator inner, IStudyStorage storage, string stage)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(storage);
        _space = space;
        _inner = inner;
        _storage = storage;
        _stage = stage;
    }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives => _inner.Objectives;

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var known = new Dictionary<Genome, EvaluatedCandidate>();
        foreach (var trial in _storage.Trials)
        {
            known.TryAdd(_space.Canonicalize(trial.Candidate.Genome), trial.Candidate);
        }

        var missing = genomes.Where(g => !known.ContainsKey(_space.Canonicalize(g))).Distinct().ToList();
        if (missing.Count > 0)
        {
            var measured = await _inner.EvaluateAsync(missing, cancellationToken).ConfigureAwait(false);
            foreach (var candidate in measured)
            {
                _storage.AppendTrial(new Trial(_storage.Trials.Count, _stage, candidate));
                known.TryAdd(_space.Canonicalize(candidate.Genome), candidate);
            }
        }

        return [.. genomes.Select(g => known[_space.Canonicalize(g)] with { Genome = g })];
    }
}
