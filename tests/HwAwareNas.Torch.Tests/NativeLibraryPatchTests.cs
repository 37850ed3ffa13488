using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HwAwareNas.BuildTools;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HwAwareNas.Torch.Tests;

/// <summary>
/// The build's TorchSharp fix-up (build/native), exercised on copies of the real libraries so the package cache
/// and the host are never touched.
/// </summary>
[TestClass]
public sealed class NativeLibraryPatchTests
{
    private const string HostLibstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    public TestContext TestContext { get; set; } = null!;

    private static string PackageLibrary =>
        typeof(NativeLibraryPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TorchSharpNativeInPackage").Value!;

    [TestMethod]
    public void PackageLibraryNeedsGlibcxx3432FromLibstdcxx()
    {
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(PackageLibrary));

        var need = needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.AreEqual("libstdc++.so.6", need.File);
        Assert.IsFalse(need.IsWeak);
        Assert.IsTrue(needs.Any(n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5"));
    }

    [TestMethod]
    public void MarkWeakChangesOnlyTheFlagsOfTheNamedVersionAndIsIdempotent()
    {
        var original = File.ReadAllBytes(PackageLibrary);
        var copy = (byte[])original.Clone();

        var changed = ElfVersionNeedPatcher.MarkWeak(copy, ["GLIBCXX_3.4.32"]);

        CollectionAssert.AreEqual(new[] { "GLIBCXX_3.4.32" }, changed.ToArray());
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != copy[i]).ToList();
        Assert.HasCount(1, differing, "only one byte of vna_flags changes");
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(copy);
        Assert.IsTrue(needs.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.IsTrue(needs.Where(n => n.Version != "GLIBCXX_3.4.32").All(n => !n.IsWeak));
        Assert.IsEmpty(ElfVersionNeedPatcher.MarkWeak(copy, ["GLIBCXX_3.4.32"]));
    }

    [TestMethod]
    public void ThisHostsLibstdcxxDefinitionsAreRead()
    {
        var definitions = ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(HostLibstdcxx));

        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains("CXXABI_1.3", definitions);
    }

    [TestMethod]
    public void TaskPatchesACopyWhenTheHostLacksTheVersion()
    {
        var folder = NewFolder();
        var input = CopyOfPackageLibrary(folder);
        var before = Sha256(input);
        var hostWithout = WriteHostLibrary(folder, rename: ("GLIBCXX_3.4.32", "GLIBCXX_9.9.99"));

        var result = RunTask(input, hostWithout, Path.Combine(folder, "out"));

        Assert.AreNotEqual(input, result.ItemSpec);
        Assert.AreEqual("runtimes/linux-x64/native/", result.GetMetadata("DestinationSubDirectory"));
        Assert.IsTrue(ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(result.ItemSpec)).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.AreEqual(before, Sha256(input), "the input is never modified");
    }

    [TestMethod]
    public void TaskLeavesEverythingUnchangedWhenTheHostHasTheVersion()
    {
        var folder = NewFolder();
        var input = CopyOfPackageLibrary(folder);
        var before = Sha256(input);
        // A stand-in for a newer host: this host's libstdc++ with its newest version name turned into 3.4.32.
        var newerHost = WriteHostLibrary(folder, rename: ("GLIBCXX_3.4.30", "GLIBCXX_3.4.32"));
        Assert.Contains("GLIBCXX_3.4.32", ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(newerHost)));
        var output = Path.Combine(folder, "out");

        var result = RunTask(input, newerHost, output);

        Assert.AreEqual(input, result.ItemSpec);
        Assert.AreEqual(before, Sha256(input));
        Assert.IsFalse(Directory.Exists(output), "nothing is written when no patch is needed");
    }

    [TestMethod]
    public void BuildOutputCarriesAPatchedLibraryOnlyWhereTheHostNeedsIt()
    {
        var hostHasVersion = ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(HostLibstdcxx)).Contains("GLIBCXX_3.4.32");
        var inOutput = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

        var need = ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(inOutput)).Single(n => n.Version == "GLIBCXX_3.4.32");

        Assert.AreEqual(!hostHasVersion, need.IsWeak);
        if (hostHasVersion)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(PackageLibrary), File.ReadAllBytes(inOutput));
        }
    }

    private string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hwnas-elf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        TestContext.WriteLine(folder);
        return folder;
    }

    private static string CopyOfPackageLibrary(string folder)
    {
        var path = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(PackageLibrary, path);
        return path;
    }

    private static string WriteHostLibrary(string folder, (string From, string To) rename)
    {
        var image = File.ReadAllBytes(HostLibstdcxx);
        var from = Encoding.ASCII.GetBytes(rename.From + "\0");
        var to = Encoding.ASCII.GetBytes(rename.To + "\0");
        for (var at = image.AsSpan().IndexOf(from); at >= 0;)
        {
            to.CopyTo(image, at);
            var next = image.AsSpan(at + 1).IndexOf(from);
            at = next < 0 ? -1 : at + 1 + next;
        }

        var path = Path.Combine(folder, "libstdc++.so.6");
        File.WriteAllBytes(path, image);
        return path;
    }

    private static ITaskItem RunTask(string input, string host, string output)
    {
        var item = new TaskItem(input);
        item.SetMetadata("DestinationSubDirectory", "runtimes/linux-x64/native/");
        var task = new WeakenMissingElfVersions
        {
            BuildEngine = new RecordingBuildEngine(),
            Files = [item],
            HostLibrary = host,
            OutputDirectory = output,
            WeakenableVersions = ["GLIBCXX_3.4.32"],
        };

        Assert.IsTrue(task.Execute());
        return task.Result.Single();
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "test";

        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => false;

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public void LogErrorEvent(BuildErrorEventArgs e) => Assert.Fail(e.Message ?? "task logged an error");

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogWarningEvent(BuildWarningEventArgs e)
        {
        }
    }
}
