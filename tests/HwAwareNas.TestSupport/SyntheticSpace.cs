using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.TestSupport;

/// <summary>
/// A MobileNetV3-shaped search space in miniature for the search and predictor tests: per block a kernel (ks) and expand
/// (e) gene, per unit a depth (d) gene; block i of a unit is active iff i &lt; the unit's depth. Gene order ks.0..B-1,
/// e.0..B-1, d.0..U-1 (OFA's), or the depth genes first.
/// </summary>
public sealed class SyntheticSpace : ISearchSpace
{
    private readonly int[] _depthGeneOfUnit;
    private readonly int _firstKernelGene;
    private readonly int _firstExpandGene;

    /// <summary>Creates the space; <paramref name="depthFirst"/> puts the depth genes before the kernel and expand genes.</summary>
    public SyntheticSpace(int units, int blocksPerUnit, double[] kernels, double[] expands, double[] depths, bool depthFirst = false)
    {
        Units = units;
        BlocksPerUnit = blocksPerUnit;
        var blocks = units * blocksPerUnit;
        var depthGenes = Enumerable.Range(0, units).Select(u => new Gene($"d.{u}", "d", depths, u)).ToList();
        var genes = depthFirst ? [.. depthGenes] : new List<Gene>();
        genes.AddRange(Enumerable.Range(0, blocks).Select(b => new Gene($"ks.{b}", "ks", kernels, b / blocksPerUnit, b)));
        genes.AddRange(Enumerable.Range(0, blocks).Select(b => new Gene($"e.{b}", "e", expands, b / blocksPerUnit, b)));
        if (!depthFirst)
        {
            genes.AddRange(depthGenes);
        }

        Genes = genes;
        _depthGeneOfUnit = [.. Enumerable.Range(0, units).Select(u => genes.FindIndex(g => g.Group == "d" && g.Unit == u))];
        _firstKernelGene = genes.FindIndex(g => g.Group == "ks");
        _firstExpandGene = genes.FindIndex(g => g.Group == "e");
    }

    /// <summary>3 units × 4 blocks, ks {3,5,7}, e {3,4,6}, d {2,3,4}: 27 genes in OFA's order.</summary>
    public static SyntheticSpace Small { get; } = new(3, 4, [3, 5, 7], [3, 4, 6], [2, 3, 4]);

    /// <summary>2 units × 2 blocks, ks {3,5}, e {3,6}, d {1,2}: 10 genes, small enough for hand-made vectors.</summary>
    public static SyntheticSpace Tiny { get; } = new(2, 2, [3, 5], [3, 6], [1, 2]);

    /// <summary>One unit of 4 blocks, depth first: d {2,3,4}, then ks {3,5,7} and e {3,4,6} of blocks 0..3 (9 genes).</summary>
    public static SyntheticSpace OneUnit { get; } = new(1, 4, [3, 5, 7], [3, 4, 6], [2, 3, 4], depthFirst: true);

    /// <summary>Units (each with a depth gene).</summary>
    public int Units { get; }

    /// <summary>Blocks per unit.</summary>
    public int BlocksPerUnit { get; }

    /// <summary>Blocks in all.</summary>
    public int Blocks => Units * BlocksPerUnit;

    /// <inheritdoc />
    public string Family => "synthetic";

    /// <inheritdoc />
    public IReadOnlyList<Gene> Genes { get; }

    /// <summary>The depth of <paramref name="unit"/> in <paramref name="genome"/> (blocks).</summary>
    public int DepthOf(Genome genome, int unit = 0)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var gene = _depthGeneOfUnit[unit];
        return (int)Genes[gene].Values[genome[gene]];
    }

    /// <summary>The choice index of block <paramref name="block"/>'s kernel size.</summary>
    public int KernelIndexOf(Genome genome, int block)
    {
        ArgumentNullException.ThrowIfNull(genome);
        return genome[_firstKernelGene + block];
    }

    /// <summary>The choice index of block <paramref name="block"/>'s expand ratio.</summary>
    public int ExpandIndexOf(Genome genome, int block)
    {
        ArgumentNullException.ThrowIfNull(genome);
        return genome[_firstExpandGene + block];
    }

    /// <inheritdoc />
    public bool IsActive(Genome genome, int geneIndex)
    {
        var gene = Genes[geneIndex];
        return gene.Block < 0 || gene.Block % BlocksPerUnit < DepthOf(genome, gene.Unit);
    }

    /// <inheritdoc />
    public Genome Canonicalize(Genome genome)
    {
        ArgumentNullException.ThrowIfNull(genome);
        return new(genome.Choices.Select((c, i) => IsActive(genome, i) ? c : 0));
    }

    /// <inheritdoc />
    public string ToOfaNotation(Genome genome)
    {
        int[] Values(string group) =>
            [.. Enumerable.Range(0, Genes.Count).Where(i => Genes[i].Group == group).Select(i => (int)Genes[i].Values[genome[i]])];
        return JsonSerializer.Serialize(new Dictionary<string, int[]> { ["ks"] = Values("ks"), ["e"] = Values("e"), ["d"] = Values("d") });
    }

    /// <inheritdoc />
    public Genome FromOfaNotation(string json)
    {
        try
        {
            var groups = JsonSerializer.Deserialize<Dictionary<string, int[]>>(json)
                ?? throw new HwNasException("empty genome", ExitCode.MissingInput);
            foreach (var group in new[] { "ks", "e", "d" })
            {
                var count = Genes.Count(g => g.Group == group);
                if (!groups.TryGetValue(group, out var values) || values.Length != count)
                {
                    throw new HwNasException(string.Create(CultureInfo.InvariantCulture, $"'{group}' needs {count} values"), ExitCode.MissingInput);
                }
            }

            // Each gene takes the next value of its group, in gene order.
            var taken = new Dictionary<string, int>(StringComparer.Ordinal);
            return new Genome(Genes.Select(gene =>
            {
                var index = taken.GetValueOrDefault(gene.Group);
                taken[gene.Group] = index + 1;
                return IndexOf(gene, groups[gene.Group][index]);
            }).ToList());
        }
        catch (JsonException e)
        {
            throw new HwNasException($"not JSON: {e.Message}", ExitCode.MissingInput, e);
        }
    }

    /// <summary>Every distinct network of the space (canonical genomes).</summary>
    public IReadOnlyList<Genome> AllCanonical()
    {
        var all = new HashSet<Genome>();
        var counts = Genes.Select(g => g.Cardinality).ToArray();
        var choices = new int[counts.Length];
        while (true)
        {
            all.Add(Canonicalize(new Genome(choices)));
            var i = 0;
            while (i < choices.Length && ++choices[i] == counts[i])
            {
                choices[i++] = 0;
            }

            if (i == choices.Length)
            {
                return [.. all];
            }
        }
    }

    private static int IndexOf(Gene gene, int value)
    {
        var index = gene.Values.ToList().IndexOf(value);
        return index >= 0
            ? index
            : throw new HwNasException(string.Create(CultureInfo.InvariantCulture, $"{value} is not a value of {gene.Name}"), ExitCode.MissingInput);
    }
}
