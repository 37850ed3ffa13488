namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// One elastic dimension of a super-network.
/// </summary>
/// <param name="Name">Unique name, e.g. <c>ks.7</c> (kernel size of block 7) or <c>d.2</c> (depth of unit 2).</param>
/// <param name="Group">The OFA-notation key the gene belongs to: <c>ks</c>, <c>e</c>, <c>d</c> or <c>w</c>.</param>
/// <param name="Values">The values the choice indices stand for, ascending (so the last index is the largest).</param>
/// <param name="Unit">The unit (stage) the gene belongs to, or -1 when it belongs to none.</param>
/// <param name="Block">The global index of the block the gene configures, or -1 for unit-level genes such as depth.</param>
public sealed record Gene(string Name, string Group, IReadOnlyList<double> Values, int Unit = -1, int Block = -1)
{
    /// <summary>Number of choices.</summary>
    public int Cardinality => Values.Count;
}
