using HwAwareNas.Core.Results;

namespace HwAwareNas.Core.Tests.Results;

[TestClass]
public sealed class DeviceFingerprintTests
{
    private static readonly DeviceFingerprint Sample = new(
        "Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 2, 1, "cpu", "onnxruntime 1.31.1", "Debian GNU/Linux 12", 1, "1x28x28", "all", "fp32");

    [TestMethod]
    public void Key_IsStableAcrossInstancesAndHasSixteenHexDigits()
    {
        var copy = Sample with { };

        Assert.AreEqual(Sample.Key, copy.Key);
        Assert.AreEqual(16, Sample.Key.Length);
        Assert.IsTrue(Sample.Key.All(Uri.IsHexDigit));
    }

    [TestMethod]
    public void Key_ChangesWithEverySettingThatAffectsLatency()
    {
        DeviceFingerprint[] variants =
        [
            Sample with { CpuModel = "AMD EPYC" },
            Sample with { LogicalCores = 4 },
            Sample with { IntraOpThreads = 1 },
            Sample with { InterOpThreads = 2 },
            Sample with { Provider = "cuda" },
            Sample with { RuntimeVersion = "onnxruntime 1.20.0" },
            Sample with { OperatingSystem = "Windows" },
            Sample with { Batch = 8 },
            Sample with { InputShape = "3x32x32" },
            Sample with { GraphOptimization = "basic" },
            Sample with { Precision = "fp16" },
        ];

        var keys = variants.Select(v => v.Key).Append(Sample.Key).ToHashSet();

        Assert.HasCount(variants.Length + 1, keys);
    }

    [TestMethod]
    public void ReadCpuModel_ReadsModelNameOrArmHardwareLine()
    {
        var folder = Directory.CreateTempSubdirectory("hwnas-cpuinfo-");
        try
        {
            var x86 = Path.Combine(folder.FullName, "x86");
            File.WriteAllText(x86, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz\n");
            var arm = Path.Combine(folder.FullName, "arm");
            File.WriteAllText(arm, "processor\t: 0\nBogoMIPS\t: 108.00\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n");

            Assert.AreEqual("Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz", DeviceFingerprint.ReadCpuModel(x86));
            Assert.AreEqual("BCM2835", DeviceFingerprint.ReadCpuModel(arm));
            Assert.AreEqual("unknown", DeviceFingerprint.ReadCpuModel(Path.Combine(folder.FullName, "absent")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

[TestClass]
public sealed class StableHashTests
{
    [TestMethod]
    public void OfText_IsTheLeadingSixteenHexDigitsOfSha256()
    {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.
        Assert.AreEqual("ba7816bf8f01cfea", StableHash.OfText("abc"));
        Assert.AreNotEqual(StableHash.OfText("abc"), StableHash.OfText("abd"));
    }

    [TestMethod]
    public void OfFile_MatchesTheHashOfItsText()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "abc");

            Assert.AreEqual("ba7816bf8f01cfea", StableHash.OfFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
