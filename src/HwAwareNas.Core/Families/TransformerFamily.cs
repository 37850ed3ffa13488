using System.Globalization;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Families;

/// <summary>
/// An elastic Transformer encoder (ViT, with the elastic dimensions of HAT and AutoFormer and leading-slice weight
/// sharing). Genome order and OFA-style notation: <c>d</c> (one gene: the number of blocks), <c>w</c> (one gene: the
/// embedding width of every block), <c>h</c> (heads per block) and <c>r</c> (MLP ratio per block), e.g.
/// <c>{"d":[3],"w":[48],"h":[4,2,3,2],"r":[2,4,3,2]}</c>; the <c>h</c> and <c>r</c> genes of blocks beyond <c>d</c> are
/// inactive.
/// </summary>
public sealed class TransformerFamily : OfaSearchSpace, IElasticFamily
{
    /// <summary>Family name as written in hwnas.yaml.</summary>
    public const string Name = "transformer";

    private const int DepthGene = 0;
    private const int WidthGene = 1;
    private const int FirstHeadGene = 2;

    /// <summary>Creates the family for the given settings.</summary>
    public TransformerFamily(TransformerSettings settings)
        : base(Name, CreateGenes(settings))
    {
        Settings = settings;
    }

    /// <summary>The architecture settings.</summary>
    public TransformerSettings Settings { get; }

    /// <inheritdoc />
    public FeatureShape Input => Settings.Input;

    /// <inheritdoc />
    public int Classes => Settings.Classes;

    /// <inheritdoc />
    public string SettingsText => Settings.ToText();

    private int MaxDepth => Settings.Depths[^1];

    /// <inheritdoc />
    protected override bool IsActiveGene(Genome genome, int geneIndex)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var block = Genes[geneIndex].Block;
        return block < 0 || block < Depth(genome);
    }

    /// <inheritdoc />
    public SubnetPlan Plan(Genome genome)
    {
        this.Validate(genome);
        var width = (int)ValueOf(genome, WidthGene);
        var plan = new PlanBuilder(Settings.Input);
        var x = plan.Conv(
            "patch_embed", SubnetPlan.InputName, "patch_embed.proj", width, Settings.Patch, Settings.Patch, bias: true, padding: 0);
        x = plan.Tokens("patch_embed", x, "patch_embed.tokens");
        if (Settings.ClassToken)
        {
            x = plan.ClassToken("patch_embed", x, "cls_token");
        }

        x = plan.PositionEmbedding("patch_embed", x, "pos_embed");
        for (var b = 0; b < Depth(genome); b++)
        {
            x = Block(plan, x, b, width, (int)ValueOf(genome, FirstHeadGene + b), ValueOf(genome, FirstHeadGene + MaxDepth + b));
        }

        x = plan.LayerNorm("head", x, "norm");
        x = plan.TokenPool("head", x, "pool", Settings.ClassToken);
        x = plan.Linear("head", x, "head", Settings.Classes);
        return plan.Build(x);
    }

    private static List<Gene> CreateGenes(TransformerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var depth = settings.Depths[^1];
        var genes = new List<Gene>
        {
            new("d.0", "d", [.. settings.Depths.Select(d => (double)d)]),
            new("w.0", "w", [.. settings.Widths.Select(w => (double)w)]),
        };
        var heads = settings.Heads.Select(h => (double)h).ToList();
        for (var b = 0; b < depth; b++)
        {
            genes.Add(new Gene(Label("h", b), "h", heads, 0, b));
        }

        for (var b = 0; b < depth; b++)
        {
            genes.Add(new Gene(Label("r", b), "r", settings.MlpRatios, 0, b));
        }

        return genes;
    }

    private static string Label(string group, int index) => string.Create(CultureInfo.InvariantCulture, $"{group}.{index}");

    private int Depth(Genome genome) => (int)ValueOf(genome, DepthGene);

    private string Block(PlanBuilder plan, string x, int index, int width, int heads, double ratio)
    {
        var block = Label("blocks", index);
        var attentionWidth = heads * Settings.HeadWidth;
        var y = plan.LayerNorm(block, x, block + ".norm1");
        var q = plan.Linear(block, y, block + ".attn.q", attentionWidth);
        var k = plan.Linear(block, y, block + ".attn.k", attentionWidth);
        var v = plan.Linear(block, y, block + ".attn.v", attentionWidth);
        y = plan.Attention(block, q, k, v, block + ".attn.attention", heads, Settings.HeadWidth);
        y = plan.Linear(block, y, block + ".attn.proj", width);
        x = plan.Sum(block, x, y, block + ".attn.add");
        y = plan.LayerNorm(block, x, block + ".norm2");
        y = plan.Linear(block, y, block + ".mlp.fc1", TransformerSettings.MlpWidth(width, ratio));
        y = plan.Activation(block, y, block + ".mlp.act", ActivationKind.Gelu);
        y = plan.Linear(block, y, block + ".mlp.fc2", width);
        return plan.Sum(block, x, y, block + ".mlp.add");
    }
}
