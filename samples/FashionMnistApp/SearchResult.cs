using System.Text.Json;

namespace FashionMnistApp;

/// <summary>What the build's search measured for the selected sub-network (results.json beside model.onnx).</summary>
/// <param name="Genome">The selected sub-network in OFA notation.</param>
/// <param name="Accuracy">Top-1 accuracy as a fraction (results.json gives percent), on the search's validation images.</param>
/// <param name="Latency">The device measurement of the selected model, when it was measured.</param>
/// <param name="Device">The device profile's name.</param>
internal sealed record SearchResult(string Genome, double? Accuracy, LatencyStatistics? Latency, string Device)
{
    /// <summary>Reads the selected candidate and device name from results.json.</summary>
    public static SearchResult Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var selected = root.GetProperty("selection").GetProperty("selected");
        if (selected.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidOperationException($"{path}: the search selected no model.");
        }

        LatencyStatistics? latency = null;
        if (selected.TryGetProperty("latency", out var measured) && measured.ValueKind == JsonValueKind.Object)
        {
            latency = new LatencyStatistics(
                Number(measured, "trimmedMeanMs") ?? double.NaN,
                Number(measured, "medianMs") ?? double.NaN,
                Number(measured, "p90Ms") ?? double.NaN,
                Number(measured, "stdevMs") ?? double.NaN,
                measured.TryGetProperty("runs", out var runs) ? runs.GetInt32() : 0);
        }

        return new SearchResult(
            selected.GetProperty("genome").GetString() ?? string.Empty,
            Number(selected, "accuracy") / 100,
            latency,
            root.TryGetProperty("device", out var device) && device.TryGetProperty("name", out var name) ? name.GetString() ?? "?" : "?");
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
