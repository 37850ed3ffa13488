using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// NSGA-II with every individual measured live. Each generation's population is recorded in the study; a study
/// that already holds generations of this stage is resumed from the latest one, and genomes it already measured
/// are not measured again.
/// </summary>
/// <param name="settings">NSGA-II settings (population, termination, warm start genomes).</param>
/// <param name="name">Name and study stage, e.g. <c>nsga2</c> or <c>warm-start</c>.</param>
public sealed class EvolutionarySearch(Nsga2Settings settings, string name = "nsga2") : ISearchStrategy
{
    /// <summary>The NSGA-II settings.</summary>
    public Nsga2Settings Settings { get; } = settings;

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public async Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Without a warm start the first generation holds the front's anchors (largest, smallest) among random genomes.
        var algorithm = Nsga2.Create(
            context.Space,
            context.Objectives,
            context.Constraints,
            Settings with { Seed = context.Seed, InitialPopulation = Settings.InitialPopulation ?? DistinctSampling.Anchors(context.Space) });
        if (context.Storage.Generations.LastOrDefault(g => g.Stage == Name) is { } last)
        {
            algorithm.Restore(last.Generation, last.Evaluations, last.Population);
        }

        var budget = PlannedEvaluations(Settings);
        await AskTellLoop.RunAsync(algorithm, context.Recorded(Name), cancellationToken, (ga, _) =>
        {
            context.Storage.AppendGeneration(new GenerationRecord(
                Name, ga.Generation, ga.Evaluations, [.. ga.Population.Select(i => i.Candidate)]));
            context.Report(Name, budget);
        }).ConfigureAwait(false);

        return SearchOutcome.OfStudy(Name, context, [.. algorithm.Population.Select(i => i.Candidate)]);
    }

    // Only a Termination with an evaluation or generation limit says how much work is planned; otherwise the
    // progress budget is one population.
    private static int PlannedEvaluations(Nsga2Settings settings) => settings.Termination switch
    {
        Termination { MaxEvaluations: { } evaluations } => evaluations,
        Termination { MaxGenerations: { } generations } => settings.PopulationSize * generations,
        _ => settings.PopulationSize,
    };
}
