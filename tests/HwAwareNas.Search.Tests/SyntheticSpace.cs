using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Tests;

/// <summary>
/// One OFA-like unit: gene 0 is the depth (2, 3 or 4 blocks), then kernel sizes of blocks 0..3, then expand
/// ratios of blocks 0..3. Blocks at or beyond the depth are inactive.
/// </summary>
internal sealed class SyntheticSpace : ISearchSpace
{
    public const int Blocks = 4;
    private static readonly double[] Depths = [2, 3, 4];
    private static readonly double[] Kernels = [3, 5, 7];
    private static readonly double[] Expands = [3, 4, 6];

    public SyntheticSpace()
    {
        var genes = new List<Gene> { new("d.0", "d", Depths, Unit: 0) };
        genes.AddRange(Enumerable.Range(0, Blocks).Select(b => new Gene($"ks.{b}", "ks", Kernels, 0, b)));
        genes.AddRange(Enumerable.Range(0, Blocks).Select(b => new Gene($"e.{b}", "e", Expands, 0, b)));
        Genes = genes;
    }

    public string Family => "synthetic";

    public IReadOnlyList<Gene> Genes { get; }

    public static int Depth(Genome genome) => (int)Depths[genome[0]];

    public static int KernelIndex(Genome genome, int block) => genome[1 + block];

    public static int ExpandIndex(Genome genome, int block) => genome[1 + Blocks + block];

    public bool IsActive(Genome genome, int geneIndex) => geneIndex == 0 || Genes[geneIndex].Block < Depth(genome);

    public Genome Canonicalize(Genome genome) =>
        new(genome.Choices.Select((c, i) => IsActive(genome, i) ? c : 0));

    public string ToOfaNotation(Genome genome) => JsonSerializer.Serialize(new Dictionary<string, int[]>
    {
        ["ks"] = [.. Enumerable.Range(0, Blocks).Select(b => (int)Kernels[KernelIndex(genome, b)])],
        ["e"] = [.. Enumerable.Range(0, Blocks).Select(b => (int)Expands[ExpandIndex(genome, b)])],
        ["d"] = [Depth(genome)],
    });

    public Genome FromOfaNotation(string json)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, int[]>>(json)!;
            var choices = new List<int> { Array.IndexOf(Depths, (double)parsed["d"][0]) };
            choices.AddRange(parsed["ks"].Select(k => Array.IndexOf(Kernels, (double)k)));
            choices.AddRange(parsed["e"].Select(e => Array.IndexOf(Expands, (double)e)));
            return new Genome(choices);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or NullReferenceException)
        {
            throw new HwNasException($"Malformed OFA genome '{json}'.", ExitCode.BadConfig, e);
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
}
