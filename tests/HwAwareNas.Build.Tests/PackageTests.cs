using System.IO.Compression;
using System.Text.RegularExpressions;

namespace HwAwareNas.Build.Tests;

/// <summary>The packed HwAwareNas.Build package used from a fresh project with a real <c>dotnet build</c>.</summary>
[TestClass]
public sealed partial class PackageTests
{
    [TestMethod]
    public void PackageCarriesTheTaskItsDependenciesAndBothImportFolders()
    {
        var folder = PackagedBuild.CreateConsumer("supernet: {}\n");
        try
        {
            var (exitCode, output) = PackagedBuild.Dotnet(folder, "restore");
            Assert.AreEqual(0, exitCode, output);

            using var package = ZipFile.OpenRead(Path.Combine(PackagedBuild.FeedFolder, $"HwAwareNas.Build.{PackagedBuild.Version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).ToList();
            foreach (var expected in new[]
            {
                "tasks/net10.0/HwAwareNas.Build.dll", "tasks/net10.0/HwAwareNas.Core.dll", "tasks/net10.0/YamlDotNet.dll",
                "build/HwAwareNas.Build.props", "build/HwAwareNas.Build.targets",
                "buildTransitive/HwAwareNas.Build.props", "buildTransitive/HwAwareNas.Build.targets",
            })
            {
                CollectionAssert.Contains(entries, expected);
            }

            Assert.IsFalse(entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal)), "the task must not become a reference of the app");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void BrokenConfigFailsTheBuildWithALocatedError()
    {
        var folder = PackagedBuild.CreateConsumer("supernet:\n  family: mobilenetv3\n  chekpoint: models/supernet.ckpt\n");
        try
        {
            var (exitCode, output) = PackagedBuild.Dotnet(folder, "build", "--disable-build-servers", "-nodeReuse:false");

            Assert.AreNotEqual(0, exitCode, output);
            Assert.MatchesRegex(LocatedError(), output);
            Assert.IsFalse(File.Exists(Path.Combine(folder, "bin", "Debug", "net10.0", "hwnas", "model.onnx")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void DisabledPackageLeavesABrokenConfigAlone()
    {
        var folder = PackagedBuild.CreateConsumer("supernet:\n  family: mobilenetv3\n  chekpoint: models/supernet.ckpt\n");
        try
        {
            var (exitCode, output) = PackagedBuild.Dotnet(folder, "build", "--disable-build-servers", "-nodeReuse:false", "-p:HwNasEnabled=false");

            Assert.AreEqual(0, exitCode, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TargetsSkipUnchangedSearchPublishTheModelAndKeepDevicesApartWithAStandInTool()
    {
        // A shell script in the tool's place writes what optimize writes: the targets' own logic, fast and without a search.
        var folder = PackagedBuild.CreateConsumer(StandInConfig);
        try
        {
            foreach (var file in new[] { "models/supernet.ckpt", "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
                File.WriteAllText(Path.Combine(folder, file), "x");
            }

            TrainingRecordFile.WriteBeside(Path.Combine(folder, "models", "supernet.ckpt"));
            Directory.CreateDirectory(Path.Combine(folder, "devices"));
            File.WriteAllText(Path.Combine(folder, "devices", "other.yaml"), "name: other\nthreads: 2\n");
            var tool = Path.Combine(folder, "stand-in-hwnas");
            File.WriteAllText(tool, """
                #!/bin/sh
                echo "stand-in hwnas $*"
                while [ $# -gt 0 ]; do [ "$1" = "--output" ] && out="$2"; shift; done
                mkdir -p "$out" && echo onnx > "$out/model.onnx" && echo html > "$out/report.html"
                """.ReplaceLineEndings("\n"));
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            OptimizeBuildTests.AssertBuildSkipPublishAndDeviceSequence(folder, tool);

            // New budget properties are a new input: the search runs again, with them.
            var budgets = PackagedBuild.Dotnet(
                folder, ["build", "-v:n", "--disable-build-servers", "-nodeReuse:false", "-p:HwNasToolPath=" + tool, "-p:HwNasMaxTime=90s", "-p:HwNasValidations=7", "-p:HwNasStopWhenMet=true"]);
            Assert.AreEqual(0, budgets.ExitCode, budgets.Output);
            StringAssert.Contains(budgets.Output, "--max-time 90s --validations 7 --stop-when-met");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly string StandInConfig = HwAwareNas.TestSupport.TestConfigs.Minimal + "\n";

    [GeneratedRegex(@"hwnas\.yaml\(3,3\): error HWNAS1\d{3}: ")]
    private static partial Regex LocatedError();
}
