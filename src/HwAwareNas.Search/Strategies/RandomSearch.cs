using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>Measures <see cref="Count"/> distinct random genomes; the baseline every other strategy must beat.</summary>
/// <param name="count">How many distinct genomes to measure.</param>
public sealed class RandomSearch(int count) : ISearchStrategy
{
    /// <summary>How many distinct genomes to measure.</summary>
    public int Count { get; } = count;

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public async Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var genomes = DistinctSampling.Sample(context.Space, Count, new Random(context.Seed));
        var evaluated = await context.Recorded(Name).EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        context.Report(Name, Count);
        var measured = context.MeasuredTrials();
        var constrained = evaluated.Select(c => c.WithConstraints(context.Objectives, context.Constraints)).ToList();
        return new SearchOutcome(Name, ParetoFront.Of(context.Objectives, measured), measured, constrained);
    }
}
