using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Tests;

/// <summary>
/// A MobileNetV3-shaped space in miniature: per block a kernel (ks) and expand (e) gene, per unit a depth (d) gene;
/// block i of a unit is active iff i &lt; the unit's depth. Gene order: ks.0..B-1, e.0..B-1, d.0..U-1.
/// </summary>
internal sealed class SyntheticSpace : ISearchSpace
{
    public SyntheticSpace(int units, int blocksPerUnit, double[] kernels, double[] expands, double[] depths)
    {
        Units = units;
        BlocksPerUnit = blocksPerUnit;
        var blocks = units * blocksPerUnit;
        var genes = new List<Gene>();
        genes.AddRange(Enumerable.Range(0, blocks).Select(b => new Gene($"ks.{b}", "ks", kernels, b / blocksPerUnit, b)));
        genes.AddRange(Enumerable.Range(0, blocks).Select(b => new Gene($"e.{b}", "e", expands, b / blocksPerUnit, b)));
        genes.AddRange(Enumerable.Range(0, units).Select(u => new Gene($"d.{u}", "d", depths, u)));
        Genes = genes;
    }

    /// <summary>3 units × 4 blocks, ks {3,5,7}, e {3,4,6}, d {2,3,4}: 27 genes.</summary>
    public static SyntheticSpace Small { get; } = new(3, 4, [3, 5, 7], [3, 4, 6], [2, 3, 4]);

    /// <summary>2 units × 2 blocks, ks {3,5}, e {3,6}, d {1,2}: 10 genes, small enough for hand-made vectors.</summary>
    public static SyntheticSpace Tiny { get; } = new(2, 2, [3, 5], [3, 6], [1, 2]);

    public int Units { get; }

    public int BlocksPerUnit { get; }

    public int Blocks => Units * BlocksPerUnit;

    public string Family => "synthetic";

    public IReadOnlyList<Gene> Genes { get; }

    public bool IsActive(Genome genome, int geneIndex)
    {
        var gene = Genes[geneIndex];
        if (gene.Block < 0)
        {
            return true;
        }

        var depthGene = (2 * Blocks) + gene.Unit;
        return gene.Block % BlocksPerUnit < Genes[depthGene].Values[genome[depthGene]];
    }

    public Genome Canonicalize(Genome genome) =>
        new(genome.Choices.Select((c, i) => IsActive(genome, i) ? c : 0));

    public string ToOfaNotation(Genome genome)
    {
        int[] Values(string group) =>
            [.. Enumerable.Range(0, Genes.Count).Where(i => Genes[i].Group == group).Select(i => (int)Genes[i].Values[genome[i]])];
        return JsonSerializer.Serialize(new Dictionary<string, int[]> { ["ks"] = Values("ks"), ["e"] = Values("e"), ["d"] = Values("d") });
    }

    public Genome FromOfaNotation(string json)
    {
        try
        {
            var groups = JsonSerializer.Deserialize<Dictionary<string, int[]>>(json)
                ?? throw new HwNasException("empty genome", ExitCode.MissingInput);
            var choices = new List<int>();
            foreach (var group in new[] { "ks", "e", "d" })
            {
                var genes = Genes.Where(g => g.Group == group).ToList();
                if (!groups.TryGetValue(group, out var values) || values.Length != genes.Count)
                {
                    throw new HwNasException($"'{group}' needs {genes.Count} values", ExitCode.MissingInput);
                }

                choices.AddRange(values.Select((v, i) => IndexOf(genes[i], v)));
            }

            return new Genome(choices);
        }
        catch (JsonException e)
        {
            throw new HwNasException($"not JSON: {e.Message}", ExitCode.MissingInput, e);
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
