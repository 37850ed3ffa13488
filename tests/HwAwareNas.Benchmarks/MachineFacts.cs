using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Benchmarks;

/// <summary>Facts about the machine and the source a run measured, for the results' header.</summary>
internal static class MachineFacts
{
    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" / ", fields.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The device fingerprint's fields plus memory, .NET and the source revision, one "name: value" per entry.</summary>
    public static IReadOnlyList<(string Name, string Value)> Describe(DeviceFingerprint fingerprint, string root) =>
    [
        ("fingerprint key", fingerprint.Key),
        ("cpu", fingerprint.CpuModel),
        ("logical cores", fingerprint.LogicalCores.ToString(CultureInfo.InvariantCulture)),
        ("memory", MemoryTotal()),
        ("os", fingerprint.OperatingSystem),
        ("runtime", fingerprint.RuntimeVersion + ", .NET " + RuntimeInformation.FrameworkDescription),
        ("device profile", string.Create(
            CultureInfo.InvariantCulture,
            $"{fingerprint.Provider}, intra-op threads {fingerprint.IntraOpThreads}, inter-op {fingerprint.InterOpThreads}, batch {fingerprint.Batch}, input {fingerprint.InputShape}, graph optimisation {fingerprint.GraphOptimization}, {fingerprint.Precision}")),
        ("source", GitRevision(root)),
    ];

    private static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return line is null ? "unknown" : line["MemTotal:".Length..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string GitRevision(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", root, "describe", "--always", "--dirty"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && text.Length > 0 ? "git " + text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }
}
