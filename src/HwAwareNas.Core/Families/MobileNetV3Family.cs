using System.Globalization;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Families;

/// <summary>
/// OFA's elastic MobileNetV3: per block a kernel size (<c>ks</c>) and expand ratio (<c>e</c>), per unit a depth (<c>d</c>).
/// Genome order is all <c>ks</c> genes, all <c>e</c> genes, then all <c>d</c> genes, as in OFA's notation.
/// </summary>
public sealed class MobileNetV3Family : OfaSearchSpace, IElasticFamily
{
    /// <summary>Family name as written in hwnas.yaml.</summary>
    public const string Name = "mobilenetv3";

    // Squeeze-and-excite reduction (OFA SEModule.REDUCTION).
    private const int SqueezeReduction = 4;

    private readonly IReadOnlyList<int> _widths;

    /// <summary>Creates the family for the given settings.</summary>
    public MobileNetV3Family(MobileNetV3Settings settings)
        : base(Name, CreateGenes(settings))
    {
        Settings = settings;
        _widths = settings.Widths;
        BlocksPerUnit = settings.Depths[^1];
    }

    /// <summary>The architecture settings.</summary>
    public MobileNetV3Settings Settings { get; }

    /// <summary>Blocks each unit holds in the super-network (the largest depth).</summary>
    public int BlocksPerUnit { get; }

    /// <inheritdoc />
    public FeatureShape Input => Settings.Input;

    /// <inheritdoc />
    public int Classes => Settings.Classes;

    /// <inheritdoc />
    public string SettingsText => Settings.ToText();

    private int ElasticBlocks => MobileNetV3Settings.Units * BlocksPerUnit;

    /// <inheritdoc />
    protected override bool IsActiveGene(Genome genome, int geneIndex)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var gene = Genes[geneIndex];
        if (gene.Group == "d")
        {
            return true;
        }

        var positionInUnit = gene.Block - (gene.Unit * BlocksPerUnit);
        return positionInUnit < UnitDepth(genome, gene.Unit);
    }

    /// <inheritdoc />
    public SubnetPlan Plan(Genome genome)
    {
        this.Validate(genome);
        var plan = new PlanBuilder(Settings.Input);
        var x = plan.ConvBnAct("first_conv", SubnetPlan.InputName, "first_conv", _widths[0], 3, Settings.Strides[0], ActivationKind.HardSwish);

        x = FirstBlock(plan, x);
        var blockIndex = 1;
        for (var unit = 0; unit < MobileNetV3Settings.Units; unit++)
        {
            var depth = UnitDepth(genome, unit);
            for (var position = 0; position < BlocksPerUnit; position++, blockIndex++)
            {
                if (position < depth)
                {
                    x = ElasticBlock(plan, x, genome, unit, position, blockIndex);
                }
            }
        }

        x = plan.ConvBnAct("final_expand_layer", x, "final_expand_layer", _widths[^2], 1, 1, ActivationKind.HardSwish);
        x = plan.GlobalAveragePool("global_avg_pool", x, "global_avg_pool");
        x = plan.Conv("feature_mix_layer", x, "feature_mix_layer.conv", _widths[^1], 1, 1);
        x = plan.Activation("feature_mix_layer", x, "feature_mix_layer.act", ActivationKind.HardSwish);
        x = plan.Flatten("classifier", x, "flatten");
        x = plan.Linear("classifier", x, "classifier.linear", Settings.Classes);
        return plan.Build(x);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> ElasticKernelSizes(string slot)
    {
        ArgumentNullException.ThrowIfNull(slot);

        // Elastic blocks are blocks.1 .. blocks.{ElasticBlocks}; blocks.0 is OFA's fixed first block.
        const string prefix = "blocks.";
        const string suffix = ".depth_conv.conv";
        if (slot.StartsWith(prefix, StringComparison.Ordinal) && slot.EndsWith(suffix, StringComparison.Ordinal)
            && int.TryParse(slot.AsSpan(prefix.Length, slot.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var block)
            && block >= 1 && block <= ElasticBlocks && Settings.KernelSizes.Count > 1)
        {
            return Settings.KernelSizes;
        }

        return [];
    }

    private static List<Gene> CreateGenes(MobileNetV3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var blocksPerUnit = settings.Depths[^1];
        var blocks = MobileNetV3Settings.Units * blocksPerUnit;
        var kernels = settings.KernelSizes.Select(k => (double)k).ToList();
        var depths = settings.Depths.Select(d => (double)d).ToList();
        var genes = new List<Gene>();
        for (var b = 0; b < blocks; b++)
        {
            genes.Add(new Gene(Label("ks", b), "ks", kernels, b / blocksPerUnit, b));
        }

        for (var b = 0; b < blocks; b++)
        {
            genes.Add(new Gene(Label("e", b), "e", settings.ExpandRatios, b / blocksPerUnit, b));
        }

        for (var u = 0; u < MobileNetV3Settings.Units; u++)
        {
            genes.Add(new Gene(Label("d", u), "d", depths, u));
        }

        return genes;
    }

    private static string Label(string group, int index) => string.Create(CultureInfo.InvariantCulture, $"{group}.{index}");

    private int UnitDepth(Genome genome, int unit) => (int)ValueOf(genome, (2 * ElasticBlocks) + unit);

    // OFA's fixed first block: depthwise 3×3 + pointwise projection (expand ratio 1), ReLU, no squeeze-and-excite.
    private string FirstBlock(PlanBuilder plan, string x)
    {
        const string block = "blocks.0";
        var inChannels = plan.ShapeOf(x).Channels;
        var stride = Settings.Strides[1];
        var y = plan.ConvBnAct(block, x, block + ".depth_conv", inChannels, 3, stride, ActivationKind.Relu, groups: inChannels);
        y = plan.ConvBnAct(block, y, block + ".point_linear", _widths[1], 1, 1, null);
        return stride == 1 && inChannels == _widths[1] ? plan.Sum(block, y, x, block + ".add") : y;
    }

    private string ElasticBlock(PlanBuilder plan, string x, Genome genome, int unit, int position, int blockIndex)
    {
        var block = string.Create(CultureInfo.InvariantCulture, $"blocks.{blockIndex}");
        var elastic = blockIndex - 1;
        var kernel = (int)ValueOf(genome, elastic);
        var expand = ValueOf(genome, ElasticBlocks + elastic);
        var act = MobileNetV3Settings.UnitActivations[unit];
        var stride = position == 0 ? Settings.Strides[2 + unit] : 1;
        var inChannels = plan.ShapeOf(x).Channels;
        var outChannels = _widths[2 + unit];
        var middle = ChannelRounding.Expand(inChannels, expand);

        var y = plan.ConvBnAct(block, x, block + ".inverted_bottleneck", middle, 1, 1, act);
        y = plan.ConvBnAct(block, y, block + ".depth_conv", middle, kernel, stride, act, groups: middle);
        if (MobileNetV3Settings.UnitSqueezeExcite[unit])
        {
            var squeezed = ChannelRounding.MakeDivisible(middle / SqueezeReduction);
            var gate = plan.GlobalAveragePool(block, y, block + ".depth_conv.se.pool");
            gate = plan.Conv(block, gate, block + ".depth_conv.se.reduce", squeezed, 1, 1, bias: true);
            gate = plan.Activation(block, gate, block + ".depth_conv.se.relu", ActivationKind.Relu);
            gate = plan.Conv(block, gate, block + ".depth_conv.se.expand", middle, 1, 1, bias: true);
            gate = plan.Activation(block, gate, block + ".depth_conv.se.h_sigmoid", ActivationKind.HardSigmoid);
            y = plan.Gate(block, y, gate, block + ".depth_conv.se.mul");
        }

        y = plan.ConvBnAct(block, y, block + ".point_linear", outChannels, 1, 1, null);
        return stride == 1 && inChannels == outChannels ? plan.Sum(block, y, x, block + ".add") : y;
    }
}
