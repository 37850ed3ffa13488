namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// Equal-width bins over a genome's total active depth (the number of distinct blocks with an active gene), the
/// strata ESM balances its latency datasets over: random sampling concentrates on middling depths.
/// </summary>
public sealed class DepthBins
{
    private readonly ISearchSpace _space;

    /// <summary>Creates up to <paramref name="binCount"/> bins over the depths <paramref name="space"/> allows.</summary>
    public DepthBins(ISearchSpace space, int binCount)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        _space = space;

        // Values are ascending, so all-first choices give the shallowest network and all-last the deepest.
        MinDepth = TotalDepth(new Genome(space.Genes.Select(_ => 0)));
        MaxDepth = TotalDepth(new Genome(space.Genes.Select(g => g.Cardinality - 1)));
        Count = Math.Min(binCount, MaxDepth - MinDepth + 1);
    }

    /// <summary>The smallest total depth in the space.</summary>
    public int MinDepth { get; }

    /// <summary>The largest total depth in the space.</summary>
    public int MaxDepth { get; }

    /// <summary>Number of bins (fewer than asked when the space has fewer distinct depths).</summary>
    public int Count { get; }

    /// <summary>Number of distinct blocks that have at least one active gene.</summary>
    public int TotalDepth(Genome genome)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var blocks = new HashSet<int>();
        for (var i = 0; i < _space.Genes.Count; i++)
        {
            var block = _space.Genes[i].Block;
            if (block >= 0 && !blocks.Contains(block) && _space.IsActive(genome, i))
            {
                blocks.Add(block);
            }
        }

        return blocks.Count;
    }

    /// <summary>The bin (0..Count−1) a total depth falls in.</summary>
    public int BinOfDepth(int depth)
    {
        var span = MaxDepth - MinDepth + 1;
        return Math.Clamp((depth - MinDepth) * Count / span, 0, Count - 1);
    }

    /// <summary>The bin a genome falls in.</summary>
    public int BinOf(Genome genome) => BinOfDepth(TotalDepth(genome));

    /// <summary>The smallest and largest total depth of bin <paramref name="bin"/>.</summary>
    public (int Min, int Max) DepthRange(int bin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bin, Count);
        var depths = Enumerable.Range(MinDepth, MaxDepth - MinDepth + 1).Where(d => BinOfDepth(d) == bin).ToList();
        return (depths[0], depths[^1]);
    }
}
