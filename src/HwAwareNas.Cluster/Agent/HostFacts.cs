using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Cluster.Agent;

/// <summary>Facts about the machine an agent runs on that are not in the measurement fingerprint's key.</summary>
internal static class HostFacts
{
    /// <summary>The process architecture, e.g. <c>X64</c>, <c>Arm64</c>.</summary>
    public static string Architecture => RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The first CPU's frequency governor (Linux cpufreq), or <c>unknown</c>.</summary>
    public static string CpuGovernor(string path = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>ONNX Runtime's available execution providers.</summary>
    public static string[] Providers() => [.. OrtEnv.Instance().GetAvailableProviders()];
}
