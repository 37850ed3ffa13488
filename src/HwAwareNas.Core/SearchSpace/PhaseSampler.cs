namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// Draws the sub-networks a phase of progressive shrinking trains: the genes of the dimensions released so far vary,
/// every other gene stays at its largest value. The last phase, <see cref="ShrinkingPhase.Expand"/>, releases every gene:
/// the space the sandwich rule draws from.
/// </summary>
public sealed class PhaseSampler
{
    private readonly ISearchSpace _space;
    private readonly bool[] _released;

    /// <summary>A sampler over the genes <paramref name="phase"/> has released in <paramref name="space"/>.</summary>
    public PhaseSampler(ISearchSpace space, ShrinkingPhase phase)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        Phase = phase;
        _released = [.. space.Genes.Select(g => ReleasedBy(g) <= phase && phase != ShrinkingPhase.Largest)];
    }

    /// <summary>The phase whose sub-networks are drawn.</summary>
    public ShrinkingPhase Phase { get; }

    /// <summary>Whether gene <paramref name="geneIndex"/> varies in this phase.</summary>
    public bool IsReleased(int geneIndex) => _released[geneIndex];

    /// <summary>
    /// The phase that releases <paramref name="gene"/>: kernel sizes in <see cref="ShrinkingPhase.Kernel"/>, depths in
    /// <see cref="ShrinkingPhase.Depth"/>, and channel widths (expand ratios, width multipliers, any other group) in
    /// <see cref="ShrinkingPhase.Expand"/>, the last phase, so that every gene varies by the end of the schedule.
    /// </summary>
    public static ShrinkingPhase ReleasedBy(Gene gene)
    {
        ArgumentNullException.ThrowIfNull(gene);
        return gene.Group switch
        {
            "ks" => ShrinkingPhase.Kernel,
            "d" => ShrinkingPhase.Depth,
            _ => ShrinkingPhase.Expand,
        };
    }

    /// <summary>
    /// The phases <paramref name="space"/> has genes for, in training order: <see cref="ShrinkingPhase.Largest"/> always,
    /// and each later phase only when some gene is released by it (ResNet has no kernel genes, so no kernel phase).
    /// </summary>
    public static IReadOnlyList<ShrinkingPhase> PhasesOf(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var dimensions = space.Genes.Where(g => g.Cardinality > 1).Select(ReleasedBy).ToHashSet();
        return [ShrinkingPhase.Largest, .. Enum.GetValues<ShrinkingPhase>().Where(dimensions.Contains)];
    }

    /// <summary>The smallest sub-network of this phase: released genes at their smallest value, the others at their largest.</summary>
    public Genome Smallest() => new(_space.Genes.Select((g, i) => _released[i] ? 0 : g.Cardinality - 1));

    /// <summary>
    /// A sub-network drawn from <paramref name="random"/>: each released gene uniformly, the others at their largest. With
    /// every gene released this draws what <see cref="SearchSpaceExtensions.Sample"/> draws from the same generator.
    /// </summary>
    public Genome Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new Genome(_space.Genes.Select((g, i) => _released[i] ? random.Next(g.Cardinality) : g.Cardinality - 1));
    }
}
