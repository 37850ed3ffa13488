using System.Globalization;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>
/// ESM's feature-combination counts (FCC): for every unit, how many of its active blocks use each combination of
/// block-level values (for MobileNetV3 each (kernel, expand) pair), units concatenated. Keeps where in the network
/// an operation sits at unit granularity while staying independent of which block inside the unit holds it.
/// </summary>
internal sealed class FccEncoding : IGenomeEncoding
{
    private readonly ISearchSpace _space;
    private readonly string[] _groups;
    private readonly double[][] _groupValues;
    private readonly int[] _units;
    private readonly int _combinations;
    private readonly int[][] _blockGenes;
    private readonly int[] _blockUnitSlot;

    /// <summary>Creates the encoding for <paramref name="space"/>.</summary>
    public FccEncoding(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        var blockGenes = space.Genes.Select((g, i) => (Gene: g, Index: i)).Where(x => x.Gene.Block >= 0).ToList();
        _groups = [.. blockGenes.Select(x => x.Gene.Group).Distinct(StringComparer.Ordinal)];
        _groupValues = [.. _groups.Select(grp => blockGenes.Where(x => x.Gene.Group == grp)
            .SelectMany(x => x.Gene.Values).Distinct().Order().ToArray())];
        _units = [.. blockGenes.Select(x => x.Gene.Unit).Distinct().Order()];
        _combinations = _groupValues.Aggregate(1, (acc, values) => acc * values.Length);

        // Per block: the gene index of each group (-1 when the block lacks that group) and the unit's slot.
        var blocks = blockGenes.Select(x => x.Gene.Block).Distinct().Order().ToArray();
        _blockGenes = new int[blocks.Length][];
        _blockUnitSlot = new int[blocks.Length];
        for (var b = 0; b < blocks.Length; b++)
        {
            var genes = blockGenes.Where(x => x.Gene.Block == blocks[b]).ToList();
            _blockGenes[b] = [.. _groups.Select(grp => genes.FirstOrDefault(x => x.Gene.Group == grp, (null!, -1)).Index)];
            _blockUnitSlot[b] = Array.IndexOf(_units, genes[0].Gene.Unit);
        }

        var names = new List<string>();
        foreach (var unit in _units)
        {
            for (var c = 0; c < _combinations; c++)
            {
                var parts = DecodeCombination(c).Select((v, g) =>
                    $"{_groups[g]}={_groupValues[g][v].ToString(CultureInfo.InvariantCulture)}");
                names.Add(string.Create(CultureInfo.InvariantCulture, $"u{unit}:{string.Join(',', parts)}"));
            }
        }

        FeatureNames = names;
    }

    /// <summary>The name this encoding is selected by.</summary>
    public const string EncodingName = "fcc";

    /// <summary>
    /// Whether the counts reflect every gene of <paramref name="space"/>: each gene configures a block or is a depth,
    /// which the number of counted blocks gives. A gene of neither kind (ResNet's width multipliers, a Transformer's
    /// embedding width) changes every block without changing any count, so FCC cannot see it.
    /// </summary>
    public static bool SeesEveryGene(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Genes.All(g => g.Block >= 0 || PhaseSampler.ReleasedBy(g) == ShrinkingPhase.Depth);
    }

    /// <inheritdoc />
    public string Name => EncodingName;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames { get; }

    /// <inheritdoc />
    public float[] Encode(Genome genome)
    {
        GenomeEncodings.CheckLength(_space, genome);
        var features = new float[FeatureNames.Count];
        for (var b = 0; b < _blockGenes.Length; b++)
        {
            var genes = _blockGenes[b];
            var anyGene = genes.First(i => i >= 0);
            if (!_space.IsActive(genome, anyGene))
            {
                continue;
            }

            // Mixed-radix index of the block's value combination; a group the block lacks counts as its first value.
            var combination = 0;
            for (var g = 0; g < genes.Length; g++)
            {
                var valueIndex = genes[g] < 0
                    ? 0
                    : Array.IndexOf(_groupValues[g], _space.Genes[genes[g]].Values[genome[genes[g]]]);
                combination = (combination * _groupValues[g].Length) + valueIndex;
            }

            features[(_blockUnitSlot[b] * _combinations) + combination] += 1f;
        }

        return features;
    }

    private int[] DecodeCombination(int combination)
    {
        var indices = new int[_groups.Length];
        for (var g = _groups.Length - 1; g >= 0; g--)
        {
            indices[g] = combination % _groupValues[g].Length;
            combination /= _groupValues[g].Length;
        }

        return indices;
    }
}
