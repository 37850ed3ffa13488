using System.Globalization;

namespace HwAwareNas.Core.Results;

/// <summary>
/// Everything that makes two latency measurements comparable: the same fingerprint means a stored
/// measurement can stand in for a new one. Stored beside every measurement (through <see cref="Key"/>).
/// </summary>
/// <param name="CpuModel">CPU model name (from <c>/proc/cpuinfo</c> on Linux).</param>
/// <param name="LogicalCores">Logical processors the OS reports.</param>
/// <param name="IntraOpThreads">Threads inside one operator (0: the runtime chooses).</param>
/// <param name="InterOpThreads">Threads across operators (0: the runtime chooses).</param>
/// <param name="Provider">Execution provider name, e.g. <c>cpu</c>.</param>
/// <param name="RuntimeVersion">Inference runtime and version, e.g. <c>onnxruntime 1.31.1</c>.</param>
/// <param name="OperatingSystem">OS description.</param>
/// <param name="Batch">Batch size of the measured inputs.</param>
/// <param name="InputShape">Input shape without the batch dimension, e.g. <c>1x28x28</c>.</param>
/// <param name="GraphOptimization">Graph optimisation level, e.g. <c>all</c>.</param>
/// <param name="Precision">Numeric precision, e.g. <c>fp32</c>.</param>
/// <param name="DeviceKind">
/// The device kind of the agent pool that measured (e.g. <c>pi4</c>), or null for this machine; part of the key, so
/// measurements of different kinds are never mixed even on identical hardware.
/// </param>
public sealed record DeviceFingerprint(
    string CpuModel,
    int LogicalCores,
    int IntraOpThreads,
    int InterOpThreads,
    string Provider,
    string RuntimeVersion,
    string OperatingSystem,
    int Batch,
    string InputShape,
    string GraphOptimization,
    string Precision,
    string? DeviceKind = null)
{
    /// <summary>The fields in a fixed order, one <c>name=value</c> per line; what <see cref="Key"/> hashes.</summary>
    public string CanonicalText => string.Create(
        CultureInfo.InvariantCulture,
        $"cpu={CpuModel}\ncores={LogicalCores}\nintra_op_threads={IntraOpThreads}\ninter_op_threads={InterOpThreads}\n" +
        $"provider={Provider}\nruntime={RuntimeVersion}\nos={OperatingSystem}\nbatch={Batch}\ninput={InputShape}\n" +
        $"graph_optimization={GraphOptimization}\nprecision={Precision}\n{(DeviceKind is null ? string.Empty : $"kind={DeviceKind}\n")}");

    /// <summary>A stable 16-hex-digit key (SHA-256 of <see cref="CanonicalText"/>), the same on every run and platform.</summary>
    public string Key => StableHash.OfText(CanonicalText);

    /// <summary>
    /// The CPU model name: the first <c>model name</c> (x86) or <c>Hardware</c>/<c>Model</c> (ARM) line of
    /// <paramref name="cpuInfoPath"/>, or <c>unknown</c> when the file is absent or names none.
    /// </summary>
    public static string ReadCpuModel(string cpuInfoPath = "/proc/cpuinfo")
    {
        if (!File.Exists(cpuInfoPath))
        {
            return "unknown";
        }

        string[] keys = ["model name", "Hardware", "Model", "cpu model"];
        var lines = File.ReadAllLines(cpuInfoPath);
        foreach (var key in keys)
        {
            foreach (var line in lines)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim().Equals(key, StringComparison.Ordinal))
                {
                    var value = line[(colon + 1)..].Trim();
                    if (value.Length > 0)
                    {
                        return value;
                    }
                }
            }
        }

        return "unknown";
    }
}
