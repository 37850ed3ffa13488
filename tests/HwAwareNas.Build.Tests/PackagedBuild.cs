using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace HwAwareNas.Build.Tests;

/// <summary>
/// The HwAwareNas.Build package packed once per test run into a temporary feed under a version no other run
/// uses, so restore can never pick a stale copy from the machine's package cache; and fresh consumer projects
/// that reference it and run the real <c>dotnet</c> CLI.
/// </summary>
internal static class PackagedBuild
{
    private static readonly Lazy<string> Feed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root this test assembly was built from.</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration (Debug/Release) this test assembly, and so the task and tool, were built in.</summary>
    public static string Configuration { get; } = Metadata("BuildConfiguration");

    /// <summary>The package version packed for this run.</summary>
    public static string Version { get; } =
        "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tool built beside these tests, run by path so the 600 MB tool package need not be packed.</summary>
    public static string ToolDll => Path.Combine(RepositoryRoot, "src", "HwAwareNas.Tool", "bin", Configuration, "net10.0", "HwAwareNas.Tool.dll");

    /// <summary>The temporary feed holding the package (packed on first use).</summary>
    public static string FeedFolder => Feed.Value;

    /// <summary>Creates a console project referencing the package in a new temporary folder.</summary>
    public static string CreateConsumer(string hwnasYaml)
    {
        var folder = Directory.CreateTempSubdirectory("hwnas-consumer-").FullName;
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="hwnas-test-feed" value="{Feed.Value}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="HwAwareNas.Build" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), "System.Console.WriteLine(\"consumer\");\n");
        File.WriteAllText(Path.Combine(folder, "hwnas.yaml"), hwnasYaml);
        return folder;
    }

    /// <summary>Runs <c>dotnet</c> with the arguments in the folder and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Dotnet(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under an MSBuild-launched environment whose variables would redirect the nested build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Removes the feed and this run's copy of the package from the machine's package cache.</summary>
    public static void CleanUp()
    {
        if (!Feed.IsValueCreated)
        {
            return;
        }

        Directory.Delete(Feed.Value, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(cache, "hwawarenas.build", Version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }

    private static string Pack()
    {
        var feed = Directory.CreateTempSubdirectory("hwnas-feed-").FullName;
        var project = Path.Combine(RepositoryRoot, "src", "HwAwareNas.Build", "HwAwareNas.Build.csproj");

        // --no-build packs the task exactly as built for these tests; only the package version differs.
        var (exitCode, output) = Dotnet(feed, "pack", project, "-c", Configuration, "--no-build", "-o", feed, "-p:PackageVersion=" + Version);
        Assert.AreEqual(0, exitCode, output);
        return feed;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Metadata(string key) =>
        typeof(PackagedBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
