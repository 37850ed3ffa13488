using System.Text.Json;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Measurement;

/// <summary>
/// Reads the Chrome-trace JSON that ONNX Runtime writes when <c>SessionOptions.EnableProfiling</c> is on:
/// one <c>"cat": "Node"</c> event named <c>&lt;node&gt;_kernel_time</c> per node and run, with its duration in
/// microseconds and the operator type in <c>args.op_name</c>.
/// </summary>
internal static class OrtProfileParser
{
    private const string KernelSuffix = "_kernel_time";

    /// <summary>
    /// Per-node mean kernel time over each node's last <paramref name="lastRuns"/> events (the timed runs;
    /// earlier ones are warm-up), in the order nodes first ran.
    /// </summary>
    /// <exception cref="HwNasException">The text is not an ONNX Runtime profile.</exception>
    public static IReadOnlyList<OperatorTiming> Parse(string json, int lastRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastRuns, 1);
        var durations = new Dictionary<string, (string OpType, List<double> Micros)>(StringComparer.Ordinal);
        var order = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new HwNasException("The ONNX Runtime profile is not a JSON array of trace events.", ExitCode.Failure);
            }

            foreach (var e in document.RootElement.EnumerateArray())
            {
                if (!e.TryGetProperty("cat", out var cat) || cat.GetString() != "Node"
                    || !e.TryGetProperty("name", out var nameElement) || nameElement.GetString() is not { } name
                    || !name.EndsWith(KernelSuffix, StringComparison.Ordinal)
                    || !e.TryGetProperty("dur", out var dur))
                {
                    continue;
                }

                var node = name[..^KernelSuffix.Length];
                var opType = e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op)
                    ? op.GetString() ?? string.Empty
                    : string.Empty;
                if (!durations.TryGetValue(node, out var entry))
                {
                    entry = (opType, []);
                    durations[node] = entry;
                    order.Add(node);
                }

                entry.Micros.Add(dur.GetDouble());
            }
        }
        catch (JsonException e)
        {
            throw new HwNasException($"The ONNX Runtime profile is not valid JSON: {e.Message}", ExitCode.Failure, e);
        }

        return [.. order.Select(node =>
        {
            var (opType, micros) = durations[node];
            var timed = micros.Skip(Math.Max(0, micros.Count - lastRuns)).ToList();
            return new OperatorTiming(node, opType, timed.Count, timed.Average() / 1000.0);
        })];
    }
}
