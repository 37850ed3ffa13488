using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

/// <summary>
/// Parameter and MAC counts of OFA's default MobileNetV3 (w1.0, 224×224×3, 1000 classes), derived by hand layer by
/// layer from OFA's architecture: channel counts below are written out, not computed by the code under test.
/// </summary>
[TestClass]
public sealed class MobileNetV3CountTests
{
    private static readonly IElasticFamily Family = FamilyRegistry.Create("mobilenetv3");

    [TestMethod]
    public void LargestSubnetMatchesHandDerivedCounts()
    {
        // Spatial sizes: 224 -> first conv s2 -> 112; unit strides 2,2,2,1,2 -> 56, 28, 14, 14, 7.
        var (p, m) = FixedHead();

        // Unit 1 (out 24, no SE, relu): k7, e6 -> middle = make_divisible(round(in*6)).
        (p, m) = Add((p, m), Block(inC: 16, mid: 96, outC: 24, k: 7, se: 0, hIn: 112, hOut: 56));
        (p, m) = Add((p, m), Times(3, Block(inC: 24, mid: 144, outC: 24, k: 7, se: 0, hIn: 56, hOut: 56)));

        // Unit 2 (out 40, SE): se = make_divisible(mid // 4): 144//4=36 -> 40, 240//4=60 -> 64.
        (p, m) = Add((p, m), Block(inC: 24, mid: 144, outC: 40, k: 7, se: 40, hIn: 56, hOut: 28));
        (p, m) = Add((p, m), Times(3, Block(inC: 40, mid: 240, outC: 40, k: 7, se: 64, hIn: 28, hOut: 28)));

        // Unit 3 (out 80, no SE).
        (p, m) = Add((p, m), Block(inC: 40, mid: 240, outC: 80, k: 7, se: 0, hIn: 28, hOut: 14));
        (p, m) = Add((p, m), Times(3, Block(inC: 80, mid: 480, outC: 80, k: 7, se: 0, hIn: 14, hOut: 14)));

        // Unit 4 (out 112, SE, stride 1): 480//4=120 -> 120, 672//4=168 -> 168.
        (p, m) = Add((p, m), Block(inC: 80, mid: 480, outC: 112, k: 7, se: 120, hIn: 14, hOut: 14));
        (p, m) = Add((p, m), Times(3, Block(inC: 112, mid: 672, outC: 112, k: 7, se: 168, hIn: 14, hOut: 14)));

        // Unit 5 (out 160, SE): 672//4=168, 960//4=240.
        (p, m) = Add((p, m), Block(inC: 112, mid: 672, outC: 160, k: 7, se: 168, hIn: 14, hOut: 7));
        (p, m) = Add((p, m), Times(3, Block(inC: 160, mid: 960, outC: 160, k: 7, se: 240, hIn: 7, hOut: 7)));

        (p, m) = Add((p, m), Tail(lastC: 160));

        var plan = Family.Plan(Family.Largest());
        Assert.AreEqual(7_664_760L, p, "hand derivation disagrees with OFA's published count");
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
    }

    [TestMethod]
    public void SmallestSubnetMatchesHandDerivedCounts()
    {
        var (p, m) = FixedHead();

        // k3, e3, depth 2 per unit.
        (p, m) = Add((p, m), Block(inC: 16, mid: 48, outC: 24, k: 3, se: 0, hIn: 112, hOut: 56));
        (p, m) = Add((p, m), Block(inC: 24, mid: 72, outC: 24, k: 3, se: 0, hIn: 56, hOut: 56));

        // 72//4=18 -> 16 is below 0.9*18, so 24; 120//4=30 -> 32.
        (p, m) = Add((p, m), Block(inC: 24, mid: 72, outC: 40, k: 3, se: 24, hIn: 56, hOut: 28));
        (p, m) = Add((p, m), Block(inC: 40, mid: 120, outC: 40, k: 3, se: 32, hIn: 28, hOut: 28));

        (p, m) = Add((p, m), Block(inC: 40, mid: 120, outC: 80, k: 3, se: 0, hIn: 28, hOut: 14));
        (p, m) = Add((p, m), Block(inC: 80, mid: 240, outC: 80, k: 3, se: 0, hIn: 14, hOut: 14));

        // 240//4=60 -> 64; 336//4=84 -> 88.
        (p, m) = Add((p, m), Block(inC: 80, mid: 240, outC: 112, k: 3, se: 64, hIn: 14, hOut: 14));
        (p, m) = Add((p, m), Block(inC: 112, mid: 336, outC: 112, k: 3, se: 88, hIn: 14, hOut: 14));

        // 336//4=84 -> 88; 480//4=120 -> 120.
        (p, m) = Add((p, m), Block(inC: 112, mid: 336, outC: 160, k: 3, se: 88, hIn: 14, hOut: 7));
        (p, m) = Add((p, m), Block(inC: 160, mid: 480, outC: 160, k: 3, se: 120, hIn: 7, hOut: 7));

        (p, m) = Add((p, m), Tail(lastC: 160));

        var plan = Family.Plan(Family.Smallest());
        Assert.AreEqual(3_410_792L, p, "hand derivation disagrees with OFA's published count");
        Assert.AreEqual(p, plan.Parameters);
        Assert.AreEqual(m, plan.MultiplyAccumulates);
    }

    [TestMethod]
    public void ResNetDefaultExtremesMatchOfaCounts()
    {
        var resnet = FamilyRegistry.Create("resnet");
        Assert.AreEqual(48_105_992L, resnet.Plan(resnet.Largest()).Parameters);
        Assert.AreEqual(6_539_280L, resnet.Plan(resnet.Smallest()).Parameters);
    }

    [TestMethod]
    public void InactiveGenesDoNotChangeCounts()
    {
        var genome = Family.Smallest();

        // Kernel gene of the last block of unit 0 (inactive at depth 2) set to 7.
        var changed = genome.With(3, 2);
        Assert.AreEqual(Family.Plan(genome).Parameters, Family.Plan(changed).Parameters);

        // The same gene on an active block changes the depthwise kernel and the count.
        var active = genome.With(0, 2);
        Assert.AreEqual(Family.Plan(genome).Parameters + (48 * (49 - 9)), Family.Plan(active).Parameters);
    }

    // First conv (3->16, k3, s2, BN) and the fixed first block (dw 3x3 on 16 + pw 16->16, BNs) at 112x112.
    private static (long Params, long Macs) FixedHead()
    {
        long p = (3 * 16 * 9) + (2 * 16);
        long m = 3L * 16 * 9 * 112 * 112;
        p += (16 * 9) + (2 * 16) + (16 * 16) + (2 * 16);
        m += (16L * 9 * 112 * 112) + (16L * 16 * 112 * 112);
        return (p, m);
    }

    // Final expand (160->960 1x1 + BN at 7x7), feature mix (960->1280, no bias, no BN at 1x1), classifier 1280->1000 + bias.
    private static (long Params, long Macs) Tail(int lastC)
    {
        long p = (lastC * 960) + (2 * 960) + (960 * 1280) + (1280 * 1000) + 1000;
        long m = (lastC * 960L * 7 * 7) + (960L * 1280) + (1280L * 1000);
        return (p, m);
    }

    // Inverted bottleneck 1x1 (+BN) at the input size, depthwise k×k (+BN) and projection 1x1 (+BN) at the output size,
    // squeeze-excite 1x1 convs with bias on the pooled 1x1 map.
    private static (long Params, long Macs) Block(int inC, int mid, int outC, int k, int se, int hIn, int hOut)
    {
        long p = ((long)inC * mid) + (2 * mid) + ((long)mid * k * k) + (2 * mid) + ((long)mid * outC) + (2 * outC);
        long m = ((long)inC * mid * hIn * hIn) + ((long)mid * k * k * hOut * hOut) + ((long)mid * outC * hOut * hOut);
        if (se > 0)
        {
            p += ((long)mid * se) + se + ((long)se * mid) + mid;
            m += 2L * mid * se;
        }

        return (p, m);
    }

    private static (long Params, long Macs) Times(int n, (long Params, long Macs) block) => (n * block.Params, n * block.Macs);

    private static (long Params, long Macs) Add((long Params, long Macs) a, (long Params, long Macs) b) =>
        (a.Params + b.Params, a.Macs + b.Macs);
}
