using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

/// <summary>
/// Parameter and MAC counts of the elastic Transformer's <c>small</c> preset (28×28×1, 10 classes, 7×7 patches: 16
/// tokens, heads 16 wide), derived by hand layer by layer: widths below are written out, not computed by the code under
/// test. MACs count every linear map per token, the convolution per output pixel, and attention's Q·Kᵀ and weights·V.
/// </summary>
[TestClass]
public sealed class TransformerCountTests
{
    private static readonly FamilyOptions Small = new(new FeatureShape(1, 28, 28), 10);

    [TestMethod]
    public void LargestSubnetMatchesHandDerivedCounts()
    {
        var family = FamilyRegistry.Create("transformer", Small);

        // w 64, 4 blocks of 4 heads (attention width 64) and MLP ratio 4 (hidden 256), mean pooling, no class token.
        var (p, m) = PatchEmbedding(width: 64, tokens: 16, classToken: false);
        (p, m) = Add((p, m), Times(4, Block(width: 64, attention: 64, hidden: 256, tokens: 16)));
        (p, m) = Add((p, m), Head(width: 64));

        Assert.AreEqual(204_938L, p, "hand derivation: 3,200 + 1,024 + 4 × 49,984 + 128 + 650");
        Assert.AreEqual(3_327_616L, m, "hand derivation: 50,176 + 4 × 819,200 + 640");
        var plan = family.Plan(family.Largest());
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
    }

    [TestMethod]
    public void SmallestSubnetMatchesHandDerivedCounts()
    {
        var family = FamilyRegistry.Create("transformer", Small);

        // w 32, 2 blocks of 2 heads (attention width 32) and MLP ratio 2 (hidden 64).
        var (p, m) = PatchEmbedding(width: 32, tokens: 16, classToken: false);
        (p, m) = Add((p, m), Times(2, Block(width: 32, attention: 32, hidden: 64, tokens: 16)));
        (p, m) = Add((p, m), Head(width: 32));

        Assert.AreEqual(19_594L, p, "hand derivation: 1,600 + 512 + 2 × 8,544 + 64 + 330");
        Assert.AreEqual(320_320L, m, "hand derivation: 25,088 + 2 × 147,456 + 320");
        var plan = family.Plan(family.Smallest());
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
    }

    [TestMethod]
    public void MixedSubnetWithClassTokenMatchesHandDerivedCounts()
    {
        var options = Small with { Settings = new Dictionary<string, string> { ["pool"] = "cls" } };
        var family = FamilyRegistry.Create("transformer", options);
        var genome = family.FromOfaNotation("{\"d\":[3],\"w\":[48],\"h\":[4,2,3,2],\"r\":[2,4,3,2]}");

        // 16 patch tokens + the class token; attention width = 16 × heads, hidden = 48 × ratio; block 3 is inactive.
        var (p, m) = PatchEmbedding(width: 48, tokens: 17, classToken: true);
        (p, m) = Add((p, m), Block(width: 48, attention: 64, hidden: 96, tokens: 17));
        (p, m) = Add((p, m), Block(width: 48, attention: 32, hidden: 192, tokens: 17));
        (p, m) = Add((p, m), Block(width: 48, attention: 48, hidden: 144, tokens: 17));
        (p, m) = Add((p, m), Head(width: 48));

        var plan = family.Plan(genome);
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
        Assert.AreEqual(family.Canonicalize(genome), family.Canonicalize(genome.With(2 + 3, 0)), "block 3's heads are inactive at depth 3");
    }

    [TestMethod]
    public void GenesAreDepthWidthHeadsAndMlpRatios()
    {
        var family = FamilyRegistry.Create("transformer", Small);
        CollectionAssert.AreEqual(new[] { "d", "w", "h", "r" }, family.Genes.Select(g => g.Group).Distinct().ToArray());
        Assert.AreEqual(10, family.Genes.Count);
        Assert.AreEqual(
            "{\"d\":[4],\"w\":[64],\"h\":[4,4,4,4],\"r\":[4,4,4,4]}", family.ToOfaNotation(family.Largest()));
        Assert.AreEqual("patch=7,w=32/48/64,d=2/3/4,h=2/3/4,head-width=16,r=2/3/4,pool=mean", family.SettingsText);
        var again = FamilyRegistry.Create("transformer", Small with { Settings = FamilySettingsReader.Split(family.SettingsText) });
        Assert.AreEqual(family.SettingsText, again.SettingsText);
    }

    [TestMethod]
    public void ImageNetPresetIsAutoFormerTiny()
    {
        var family = FamilyRegistry.Create("transformer");
        var plan = family.Plan(family.Largest());

        // 224/16 = 14 → 196 patches + class token; w 240, 14 blocks of 4 heads × 64, MLP ratio 4 (hidden 960).
        var (p, m) = PatchEmbedding(width: 240, tokens: 197, classToken: true, channels: 3, patch: 16);
        (p, m) = Add((p, m), Times(14, Block(width: 240, attention: 256, hidden: 960, tokens: 197)));
        (p, m) = Add((p, m), Head(width: 240, classes: 1000));
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
    }

    [TestMethod]
    public void RejectsAPatchLargerThanTheInputAndAnUnknownPool()
    {
        var e = Assert.Throws<HwAwareNas.Core.Diagnostics.HwNasException>(() => FamilyRegistry.Create(
            "transformer", Small with { Settings = new Dictionary<string, string> { ["patch"] = "32", ["pool"] = "max" } }));
        StringAssert.Contains(e.Message, "patch: 32 is larger than the 28x28 input");
        StringAssert.Contains(e.Message, "Unknown transformer pool 'max'");
    }

    // Patch convolution (kernel = stride = patch, with bias) over tokens output pixels, optional class token, position
    // embedding of tokens × width.
    private static (long P, long M) PatchEmbedding(int width, int tokens, bool classToken, int channels = 1, int patch = 7)
    {
        var patches = classToken ? tokens - 1 : tokens;
        long convWeights = (long)width * channels * patch * patch;
        return (convWeights + width + (classToken ? width : 0) + ((long)tokens * width), convWeights * patches);
    }

    // LayerNorm, Q/K/V (width → attention, with bias), attention (2 · tokens² · attention), projection back to width,
    // LayerNorm, fc1 (width → hidden) and fc2 (hidden → width), every linear once per token.
    private static (long P, long M) Block(int width, int attention, int hidden, int tokens)
    {
        long norms = 2 * 2L * width;
        long qkv = 3 * (((long)width * attention) + attention);
        long projection = ((long)attention * width) + width;
        long mlp = ((long)width * hidden) + hidden + ((long)hidden * width) + width;
        long linearMacs = ((3L * width * attention) + ((long)attention * width) + (2L * width * hidden)) * tokens;
        long attentionMacs = 2L * tokens * tokens * attention;
        return (norms + qkv + projection + mlp, linearMacs + attentionMacs);
    }

    // Final LayerNorm, pooling, classifier.
    private static (long P, long M) Head(int width, int classes = 10) =>
        ((2L * width) + ((long)width * classes) + classes, (long)width * classes);

    private static (long P, long M) Times(int n, (long P, long M) x) => (n * x.P, n * x.M);

    private static (long P, long M) Add((long P, long M) a, (long P, long M) b) => (a.P + b.P, a.M + b.M);
}
