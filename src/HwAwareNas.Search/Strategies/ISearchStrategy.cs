namespace HwAwareNas.Search.Strategies;

/// <summary>A way to search: random, evolutionary, full, warm start, concurrent.</summary>
public interface ISearchStrategy
{
    /// <summary>Name as written in hwnas.yaml, e.g. <c>nsga2</c>.</summary>
    string Name { get; }

    /// <summary>Runs the search in <paramref name="context"/>.</summary>
    Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken);
}
