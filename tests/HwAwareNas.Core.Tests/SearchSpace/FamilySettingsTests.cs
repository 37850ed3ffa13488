using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Tests.SearchSpace;

[TestClass]
public sealed class FamilySettingsTests
{
    private static readonly FeatureShape Grey28 = new(1, 28, 28);

    [TestMethod]
    public void MakeDivisibleFollowsOfa()
    {
        Assert.AreEqual(16, ChannelRounding.MakeDivisible(16));
        Assert.AreEqual(24, ChannelRounding.MakeDivisible(18));   // 16 would lose more than 10%
        Assert.AreEqual(40, ChannelRounding.MakeDivisible(41.6)); // 64 × 0.65
        Assert.AreEqual(168, ChannelRounding.MakeDivisible(166.4));
        Assert.AreEqual(8, ChannelRounding.MakeDivisible(2));
        Assert.AreEqual(24, ChannelRounding.Expand(64, 0.35));    // round(22.4) = 22 -> 24
        Assert.AreEqual(48, ChannelRounding.Expand(256, 0.2));    // round(51.2) = 51 -> 48 (not below 0.9·51)
        Assert.AreEqual(56, ChannelRounding.Expand(160, 0.35));   // round(56.0) = 56, already a multiple of 8
    }

    [TestMethod]
    [DataRow("mobilenetv3")]
    [DataRow("resnet")]
    public void SmallPresetFitsGreyImagesAndEndsAtFourByFour(string name)
    {
        var family = FamilyRegistry.Create(name, new FamilyOptions(Grey28, 10));
        foreach (var genome in new[] { family.Largest(), family.Smallest(), family.Sample(new Random(5)) })
        {
            var plan = family.Plan(genome);
            Assert.AreEqual(Grey28, plan.Input);
            Assert.AreEqual(new FeatureShape(10, 1, 1), plan.Ops[^1].Output);
            var pooled = plan.Ops.OfType<GlobalAveragePoolOp>().First(o => o.Name == "global_avg_pool");
            var beforePool = plan.Ops.Single(o => o.Name == pooled.Inputs[0]).Output;
            Assert.AreEqual(4, beforePool.Height, family.ToOfaNotation(genome));
            Assert.IsLessThan(1_000_000L, plan.Parameters);
        }
    }

    [TestMethod]
    public void SettingsOverrideAndRoundTripThroughText()
    {
        var options = new FamilyOptions(Grey28, 10, FamilySettingsReader.Split("width=0.5, strides=2/1/2/2/2/1/1"));
        var family = FamilyRegistry.Create("mobilenetv3", options);
        var again = FamilyRegistry.Create("mobilenetv3", options with { Settings = FamilySettingsReader.Split(family.SettingsText) });
        Assert.AreEqual(family.SettingsText, again.SettingsText);
        var plan = family.Plan(family.Largest());
        Assert.AreEqual(plan.Parameters, again.Plan(again.Largest()).Parameters);
        Assert.AreEqual(8, plan.Ops.OfType<ConvOp>().First().OutChannels);

        var resnet = FamilyRegistry.Create("resnet", new FamilyOptions(Grey28, 10, FamilySettingsReader.Split("stem=16,widths=32/48/64/96")));
        var resnetAgain = FamilyRegistry.Create("resnet", new FamilyOptions(Grey28, 10, FamilySettingsReader.Split(resnet.SettingsText)));
        Assert.AreEqual(resnet.Plan(resnet.Largest()).Parameters, resnetAgain.Plan(resnetAgain.Largest()).Parameters);
    }

    [TestMethod]
    [DataRow("mobilenetv3", "colour=red", "Unknown mobilenetv3 setting")]
    [DataRow("mobilenetv3", "width=-1", "not a positive number")]
    [DataRow("mobilenetv3", "strides=2/2", "expected 7 values")]
    [DataRow("mobilenetv3", "ks=7/5/3", "strictly ascending")]
    [DataRow("mobilenetv3", "ks=2/4", "odd")]
    [DataRow("resnet", "preset=huge", "Unknown preset")]
    [DataRow("resnet", "stem", "expected key=value")]
    public void RejectsBadSettings(string name, string settings, string expected)
    {
        var error = Assert.Throws<HwNasException>(
            () => FamilyRegistry.Create(name, new FamilyOptions(Grey28, 10, FamilySettingsReader.Split(settings))));
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void ReportsEveryBadSettingAtOnce()
    {
        var error = Assert.Throws<HwNasException>(() => FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(Grey28, 10, FamilySettingsReader.Split("width=-1,strides=2/2,colour=red,e=6/4"))));

        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        foreach (var part in new[] { "not a positive number", "expected 7 values", "strictly ascending", "Unknown mobilenetv3 setting(s): colour" })
        {
            StringAssert.Contains(error.Message, part);
        }
    }

    [TestMethod]
    public void RegistryRejectsUnknownFamiliesAndUnbuildableSettings()
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => FamilyRegistry.Create("vit"));
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        StringAssert.Contains(error.Message, "mobilenetv3");

        error = Assert.Throws<HwNasException>(
            () => FamilyRegistry.Create("resnet", new FamilyOptions(Grey28, 10, FamilySettingsReader.Split("stem=32,widths=32/64/96/128"))));
        StringAssert.Contains(error.Message, "identity");

        Assert.ThrowsExactly<HwNasException>(() => FamilyRegistry.Create("resnet", new FamilyOptions(Grey28, 0)));
        CollectionAssert.IsSubsetOf(new[] { "mobilenetv3", "resnet" }, FamilyRegistry.Names.ToArray());
    }

    [TestMethod]
    public void PlansAreTopologicalWithUniqueNames()
    {
        foreach (var name in new[] { "mobilenetv3", "resnet" })
        {
            var family = FamilyRegistry.Create(name);
            var plan = family.Plan(family.Sample(new Random(1)));
            var seen = new HashSet<string> { SubnetPlan.InputName };
            foreach (var op in plan.Ops)
            {
                foreach (var input in op.Inputs)
                {
                    Assert.Contains(input, seen, $"{op.Name} reads {input} before it is produced");
                }

                Assert.IsTrue(seen.Add(op.Name), op.Name);
            }

            Assert.AreEqual(plan.Ops[^1].Name, plan.OutputName);
        }
    }
}
