using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Measures <see cref="Count"/> distinct random genomes, <see cref="BatchSize"/> at a time; the baseline every other
/// strategy must beat. The genomes depend only on the seed, so batching changes when a budget can stop the search,
/// not what is measured.
/// </summary>
/// <param name="count">How many distinct genomes to measure.</param>
/// <param name="batchSize">Genomes measured per batch (0: all in one batch).</param>
public sealed class RandomSearch(int count, int batchSize = 0) : ISearchStrategy
{
    /// <summary>How many distinct genomes to measure.</summary>
    public int Count { get; } = count;

    /// <summary>Genomes measured per batch (0: all in one batch).</summary>
    public int BatchSize { get; } = batchSize;

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public async Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var genomes = DistinctSampling.Sample(context.Space, Count, new Random(context.Seed));
        var recorder = context.Recorded(Name);
        var batch = BatchSize > 0 ? BatchSize : Math.Max(1, genomes.Count);
        var evaluated = new List<EvaluatedCandidate>(genomes.Count);
        for (var start = 0; start < genomes.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            evaluated.AddRange(await recorder.EvaluateAsync(genomes.GetRange(start, Math.Min(batch, genomes.Count - start)), cancellationToken).ConfigureAwait(false));
            context.Report(Name, Count);
        }

        return SearchOutcome.OfStudy(Name, context, [.. evaluated.Select(c => c.WithConstraints(context.Objectives, context.Constraints))]);
    }
}
