using System.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Algorithms;

/// <summary>
/// A steady generational genetic algorithm behind ask/tell: <see cref="Ask"/> returns the genomes to evaluate
/// (the initial population, then offspring), <see cref="Tell"/> takes their evaluations and runs survival. The
/// caller decides who evaluates (hardware or predictor). Each generation draws from its own
/// <see cref="Random"/> seeded from (seed, generation), so a run restored from a stored generation continues
/// exactly as the uninterrupted one would.
/// </summary>
internal sealed class GeneticAlgorithm
{
    private const int MaxFillRounds = 100;

    private readonly ISearchSpace _space;
    private readonly IReadOnlyList<Constraint> _constraints;
    private readonly GeneticAlgorithmParts _parts;
    private readonly int _seed;
    private readonly Stopwatch _clock = new();
    private List<Genome>? _pending;
    private int _stagnant;

    /// <summary>Creates the algorithm; nothing is sampled until the first <see cref="Ask"/>.</summary>
    public GeneticAlgorithm(
        ISearchSpace space,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<Constraint> constraints,
        GeneticAlgorithmParts parts,
        int populationSize,
        int seed,
        int? offspringSize = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        foreach (var constraint in constraints)
        {
            ObjectiveIndex.Of(objectives, constraint.ObjectiveName);
        }

        _space = space;
        Objectives = objectives;
        _constraints = constraints;
        _parts = parts;
        PopulationSize = populationSize;
        OffspringSize = offspringSize ?? populationSize;
        _seed = seed;
    }

    /// <summary>The objectives, in value order.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Individuals kept by survival.</summary>
    public int PopulationSize { get; }

    /// <summary>Offspring asked for per generation.</summary>
    public int OffspringSize { get; }

    /// <summary>The current population, ranked (empty before the first <see cref="Tell"/>).</summary>
    public IReadOnlyList<Individual> Population { get; private set; } = [];

    /// <summary>Generations completed; the evaluated initial population is generation 1.</summary>
    public int Generation { get; private set; }

    /// <summary>Genomes told so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Set when offspring could no longer be produced (every reachable genome is a duplicate).</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The state termination is judged on.</summary>
    public TerminationState State => new(Generation, Evaluations, _clock.Elapsed, _stagnant);

    /// <summary>Whether the termination criterion is met or the space is exhausted.</summary>
    public bool IsDone => Exhausted || _parts.Termination.HasTerminated(State);

    /// <summary>Progress from 0 to 1.</summary>
    public double Progress => Exhausted ? 1 : _parts.Termination.Progress(State);

    /// <summary>The feasible, non-dominated members of the current population.</summary>
    public ParetoFront Front => ParetoFront.Of(Objectives, Population.Select(i => i.Candidate));

    /// <summary>
    /// The genomes to evaluate next: the initial population first, then offspring (duplicates of the population
    /// and of each other removed). Empty when the search is done.
    /// </summary>
    public IReadOnlyList<Genome> Ask()
    {
        if (_pending is not null)
        {
            throw new InvalidOperationException("Ask was called again before the previous genomes were told.");
        }

        if (IsDone)
        {
            return [];
        }

        _clock.Start();
        var random = new Random(unchecked((_seed * 1_000_003) + Generation));
        var genomes = Generation == 0 ? SampleInitial(random) : MakeOffspring(random);
        if (genomes.Count == 0)
        {
            Exhausted = true;
            return [];
        }

        _pending = genomes;
        return genomes;
    }

    /// <summary>Takes the evaluations of the genomes the last <see cref="Ask"/> returned, and runs survival.</summary>
    public void Tell(IReadOnlyList<EvaluatedCandidate> evaluated)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        if (_pending is null)
        {
            throw new InvalidOperationException("Tell was called without a preceding Ask.");
        }

        if (evaluated.Count != _pending.Count)
        {
            throw new ArgumentException(
                $"Expected {_pending.Count} evaluations, got {evaluated.Count}.", nameof(evaluated));
        }

        _pending = null;
        var previousFront = Population.Where(i => i.Rank == 0).ToList();
        var merged = Population.Concat(evaluated.Select(ToIndividual)).ToList();

        // Rank and crowding are recomputed among the survivors alone, so a population restored from a study
        // (which keeps candidates, not survival's bookkeeping) selects parents exactly as the live one does.
        Population = _parts.Survival.Survive(_parts.Survival.Survive(merged, PopulationSize), PopulationSize);
        Generation++;
        Evaluations += evaluated.Count;
        _stagnant = Improved(previousFront, Population.Where(i => i.Rank == 0)) ? 0 : _stagnant + 1;
    }

    /// <summary>
    /// Puts the algorithm in the state it had after <paramref name="generation"/> generations with
    /// <paramref name="population"/> as its population (e.g. loaded from a study), so a search resumes there.
    /// </summary>
    public void Restore(int generation, int evaluations, IReadOnlyList<EvaluatedCandidate> population)
    {
        ArgumentNullException.ThrowIfNull(population);
        _pending = null;
        Population = _parts.Survival.Survive([.. population.Select(ToIndividual)], PopulationSize);
        Generation = generation;
        Evaluations = evaluations;
        _stagnant = 0;
    }

    private Individual ToIndividual(EvaluatedCandidate candidate)
    {
        var constrained = candidate.WithConstraints(Objectives, _constraints);
        return new Individual(constrained, ObjectiveVectors.ToMinimization(Objectives, constrained));
    }

    private List<Genome> SampleInitial(Random random)
    {
        var initial = new List<Genome>();
        for (var round = 0; round < MaxFillRounds && initial.Count < PopulationSize; round++)
        {
            var sampled = _parts.Sampling.Sample(_space, PopulationSize - initial.Count, random);
            initial.AddRange(_parts.DuplicateElimination.Eliminate(_space, sampled, initial));
        }

        return initial;
    }

    private List<Genome> MakeOffspring(Random random)
    {
        var offspring = new List<Genome>();
        var existing = Population.Select(i => i.Candidate.Genome).ToList();
        for (var round = 0; round < MaxFillRounds && offspring.Count < OffspringSize; round++)
        {
            var needed = OffspringSize - offspring.Count;
            var pairs = (needed + 1) / 2;
            var parents = _parts.Selection.SelectParents(Population, pairs * 2, random);
            var children = new List<Genome>(pairs * 2);
            for (var p = 0; p < pairs; p++)
            {
                var (a, b) = _parts.Crossover.Cross(
                    Population[parents[2 * p]].Candidate.Genome, Population[parents[(2 * p) + 1]].Candidate.Genome, random);
                children.Add(_parts.Mutation.Mutate(_space, a, random));
                children.Add(_parts.Mutation.Mutate(_space, b, random));
            }

            var fresh = _parts.DuplicateElimination.Eliminate(_space, children, existing.Concat(offspring));
            offspring.AddRange(fresh.Take(needed));
        }

        return offspring;
    }

    private static bool Improved(List<Individual> previous, IEnumerable<Individual> current) =>
        current.Any(c => !previous.Exists(p =>
            p.Violation < c.Violation
            || (p.Violation == c.Violation && Dominance.WeaklyDominates(p.Vector.ToArray(), c.Vector.ToArray()))));
}
