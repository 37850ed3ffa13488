using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// A study kept in the results store's studies/trials/populations tables, so an interrupted <c>optimize</c>
/// resumes where it stopped. Trials and generations are read back once and then kept in memory beside the store.
/// </summary>
internal sealed class StoreStudyStorage : IStudyStorage
{
    private readonly ResultsStore _store;
    private readonly List<Trial> _trials = [];
    private readonly List<GenerationRecord> _generations = [];

    private StoreStudyStorage(ResultsStore store, StudyRecord study)
    {
        _store = store;
        Study = study;
    }

    /// <summary>The stored study.</summary>
    public StudyRecord Study { get; }

    /// <summary>How many trials the study held when it was opened (more than 0: resumed).</summary>
    public int ResumedTrials { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Trial> Trials => _trials;

    /// <inheritdoc />
    public IReadOnlyList<GenerationRecord> Generations => _generations;

    /// <summary>Opens (or creates) the study <paramref name="name"/> and reads back what it holds.</summary>
    public static StoreStudyStorage Open(ResultsStore store, ISearchSpace space, string name, string settingsJson)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(space);
        var storage = new StoreStudyStorage(store, store.GetOrCreateStudy(name, settingsJson));
        storage.ReadBack(space);
        return storage;
    }

    /// <summary>
    /// The best last population of the earlier studies whose name starts with <paramref name="namePrefix"/> (same
    /// family, settings and checkpoint; any device): the one with the most feasible members. Empty when none.
    /// </summary>
    public static IReadOnlyList<Genome> BestEarlierPopulation(ResultsStore store, ISearchSpace space, string namePrefix, long excludedStudy)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(space);
        IReadOnlyList<PopulationMember> best = [];
        foreach (var id in store.ListStudies(namePrefix).Select(s => s.Id).Where(id => id != excludedStudy))
        {
            var populations = store.ListPopulations(id);
            if (populations.Count == 0)
            {
                continue;
            }

            var members = populations[^1].Members;
            if (best.Count == 0 || members.Count(m => m.ConstraintViolation <= 0) > best.Count(m => m.ConstraintViolation <= 0))
            {
                best = members;
            }
        }

        return [.. best.Select(m => GenomeOf(space, m.GenomeKey))];
    }

    /// <inheritdoc />
    public void AppendTrial(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var c = trial.Candidate;
        var now = DateTimeOffset.UtcNow;
        _store.AppendTrial(new TrialRecord(
            Study.Id, trial.Number, trial.Stage, c.Genome.Key, TrialState.Complete, c.Values, c.Origin, c.ConstraintViolation, now, now));
        _trials.Add(trial);
    }

    /// <inheritdoc />
    public void AppendGeneration(GenerationRecord generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        _store.AppendPopulation(new PopulationRecord(
            Study.Id,
            generation.Stage,
            generation.Generation,
            generation.Evaluations,
            [.. generation.Population.Select(c => new PopulationMember(c.Genome.Key, c.Values, c.Origin, c.ConstraintViolation))]));
        _generations.Add(generation);
    }

    private void ReadBack(ISearchSpace space)
    {
        foreach (var trial in _store.ListTrials(Study.Id).Where(t => t.State == TrialState.Complete))
        {
            var candidate = new EvaluatedCandidate(GenomeOf(space, trial.GenomeKey), trial.Values, trial.Origin, trial.ConstraintViolation);
            _trials.Add(new Trial(trial.Number, trial.Stage, candidate));
        }

        foreach (var population in _store.ListPopulations(Study.Id))
        {
            var members = population.Members
                .Select(m => new EvaluatedCandidate(GenomeOf(space, m.GenomeKey), m.Values, m.Origin, m.ConstraintViolation))
                .ToList();
            _generations.Add(new GenerationRecord(population.Stage, population.Generation, population.Evaluations, members));
        }

        ResumedTrials = _trials.Count;
    }

    private static Genome GenomeOf(ISearchSpace space, string key) => space.Canonicalize(Genome.FromKey(space, key));
}
