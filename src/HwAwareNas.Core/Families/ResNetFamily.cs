using System.Globalization;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Families;

/// <summary>
/// OFA's elastic ResNet: depth genes (<c>d</c>: the stem, then extra blocks per stage), one expand-ratio gene per
/// block (<c>e</c>) and width-multiplier index genes (<c>w</c>: stem convs 0–1, stem conv 2, then one per stage).
/// Genome order is <c>d</c>, <c>e</c>, <c>w</c>, as in OFA's notation.
/// </summary>
public sealed class ResNetFamily : OfaSearchSpace, IElasticFamily
{
    /// <summary>Family name as written in hwnas.yaml.</summary>
    public const string Name = "resnet";

    private readonly IReadOnlyList<int> _stemOut;
    private readonly IReadOnlyList<int> _stemMiddle;
    private readonly IReadOnlyList<IReadOnlyList<int>> _stageChannels;
    private readonly int[] _stageFirstBlock;
    private readonly int _blocks;

    /// <summary>Creates the family for the given settings.</summary>
    public ResNetFamily(ResNetSettings settings)
        : base(Name, CreateGenes(settings))
    {
        Settings = settings;
        _stemOut = settings.StemOutChannels;
        _stemMiddle = settings.StemMiddleChannels;
        _stageChannels = settings.StageChannels;
        _stageFirstBlock = new int[settings.StageWidths.Count];
        for (var s = 1; s < _stageFirstBlock.Length; s++)
        {
            _stageFirstBlock[s] = _stageFirstBlock[s - 1] + BlocksIn(settings, s - 1);
        }

        _blocks = _stageFirstBlock[^1] + BlocksIn(settings, _stageFirstBlock.Length - 1);
    }

    /// <summary>The architecture settings.</summary>
    public ResNetSettings Settings { get; }

    /// <inheritdoc />
    public FeatureShape Input => Settings.Input;

    /// <inheritdoc />
    public int Classes => Settings.Classes;

    /// <inheritdoc />
    public string SettingsText => Settings.ToText();

    private int Stages => Settings.StageWidths.Count;

    /// <inheritdoc />
    protected override bool IsActiveGene(Genome genome, int geneIndex)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var gene = Genes[geneIndex];
        if (gene.Group != "e")
        {
            return true;
        }

        return gene.Block - _stageFirstBlock[gene.Unit] < ActiveBlocks(genome, gene.Unit);
    }

    /// <inheritdoc />
    public SubnetPlan Plan(Genome genome)
    {
        this.Validate(genome);
        var plan = new PlanBuilder(Settings.Input);
        var stemMiddle = _stemMiddle[WidthChoice(genome, 0)];
        var x = plan.ConvBnAct("input_stem.0", SubnetPlan.InputName, "input_stem.0", stemMiddle, 3, Settings.StemStride, ActivationKind.Relu);
        if ((int)ValueOf(genome, 0) == Settings.Depths[^1])
        {
            var y = plan.ConvBnAct("input_stem.1", x, "input_stem.1.conv", stemMiddle, 3, 1, ActivationKind.Relu);
            x = plan.Sum("input_stem.1", y, x, "input_stem.1.add");
        }

        x = plan.ConvBnAct("input_stem.2", x, "input_stem.2", _stemOut[WidthChoice(genome, 1)], 3, 1, ActivationKind.Relu);
        x = plan.MaxPool("max_pooling", x, "max_pooling", 3, 2, 1);

        var inList = _stemOut;
        for (var stage = 0; stage < Stages; stage++)
        {
            var outList = _stageChannels[stage];
            var outChannels = outList[WidthChoice(genome, 2 + stage)];
            var active = ActiveBlocks(genome, stage);
            for (var position = 0; position < active; position++)
            {
                var blockIndex = _stageFirstBlock[stage] + position;
                var stride = position == 0 ? Settings.StageStrides[stage] : 1;

                // OFA decides identity vs. downsample from the static channel lists, not the active widths.
                var identity = stride == 1 && (position > 0 || inList.SequenceEqual(outList));
                x = Bottleneck(plan, x, genome, blockIndex, outChannels, stride, identity);
            }

            inList = outList;
        }

        x = plan.GlobalAveragePool("global_avg_pool", x, "global_avg_pool");
        x = plan.Flatten("classifier", x, "flatten");
        x = plan.Linear("classifier", x, "classifier.linear", Settings.Classes);
        return plan.Build(x);
    }

    private static int BlocksIn(ResNetSettings settings, int stage) => settings.BaseDepths[stage] + settings.Depths[^1];

    private static List<Gene> CreateGenes(ResNetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var depths = settings.Depths.Select(d => (double)d).ToList();
        var widthIndices = Enumerable.Range(0, settings.WidthMultipliers.Count).Select(i => (double)i).ToList();
        var stages = settings.StageWidths.Count;
        var genes = new List<Gene> { new("d.0", "d", depths) };
        for (var s = 0; s < stages; s++)
        {
            genes.Add(new Gene(Label("d", s + 1), "d", depths, s));
        }

        var block = 0;
        for (var s = 0; s < stages; s++)
        {
            for (var i = 0; i < BlocksIn(settings, s); i++, block++)
            {
                genes.Add(new Gene(Label("e", block), "e", settings.ExpandRatios, s, block));
            }
        }

        genes.Add(new Gene("w.0", "w", widthIndices));
        genes.Add(new Gene("w.1", "w", widthIndices));
        for (var s = 0; s < stages; s++)
        {
            genes.Add(new Gene(Label("w", s + 2), "w", widthIndices, s));
        }

        return genes;
    }

    private static string Label(string group, int index) => string.Create(CultureInfo.InvariantCulture, $"{group}.{index}");

    private int ActiveBlocks(Genome genome, int stage) => Settings.BaseDepths[stage] + (int)ValueOf(genome, 1 + stage);

    private int WidthChoice(Genome genome, int widthGene) => genome[1 + Stages + _blocks + widthGene];

    private string Bottleneck(PlanBuilder plan, string x, Genome genome, int blockIndex, int outChannels, int stride, bool identity)
    {
        var block = string.Create(CultureInfo.InvariantCulture, $"blocks.{blockIndex}");
        var expand = ValueOf(genome, 1 + Stages + blockIndex);
        var middle = ChannelRounding.Expand(outChannels, expand);

        var residual = x;
        if (!identity)
        {
            if (stride > 1)
            {
                residual = plan.AveragePoolCeil(block, residual, block + ".downsample.avg_pool", stride, stride);
            }

            residual = plan.ConvBnAct(block, residual, block + ".downsample", outChannels, 1, 1, null);
        }

        var y = plan.ConvBnAct(block, x, block + ".conv1", middle, 1, 1, ActivationKind.Relu);
        y = plan.ConvBnAct(block, y, block + ".conv2", middle, 3, stride, ActivationKind.Relu);
        y = plan.ConvBnAct(block, y, block + ".conv3", outChannels, 1, 1, null);
        y = plan.Sum(block, y, residual, block + ".add");
        return plan.Activation(block, y, block + ".final_act", ActivationKind.Relu);
    }
}
