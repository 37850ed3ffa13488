namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// The elastic genes of a super-network family under given settings, and the rules that tie a genome to
/// the sub-network it denotes. Implemented per family (MobileNetV3, ResNet) and by synthetic spaces in tests.
/// </summary>
public interface ISearchSpace
{
    /// <summary>Family name as written in hwnas.yaml, e.g. <c>mobilenetv3</c>.</summary>
    string Family { get; }

    /// <summary>Genes in genome order.</summary>
    IReadOnlyList<Gene> Genes { get; }

    /// <summary>
    /// Whether gene <paramref name="geneIndex"/> affects the network <paramref name="genome"/> denotes
    /// (false for the kernel/expand genes of blocks beyond a unit's active depth).
    /// </summary>
    bool IsActive(Genome genome, int geneIndex);

    /// <summary>
    /// The representative of the genome's equivalence class: inactive genes set to choice 0, so two
    /// genomes that build the same network canonicalize to equal genomes.
    /// </summary>
    Genome Canonicalize(Genome genome);

    /// <summary>Writes a genome in OFA's JSON notation, e.g. <c>{"ks":[..],"e":[..],"d":[..]}</c>.</summary>
    string ToOfaNotation(Genome genome);

    /// <summary>Reads a genome from OFA's JSON notation; throws <see cref="Diagnostics.HwNasException"/> when malformed.</summary>
    Genome FromOfaNotation(string json);
}
