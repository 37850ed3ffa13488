using System.Text.Json;

namespace FashionMnistApp;

/// <summary>What the build's search measured for the selected sub-network (results.json beside model.onnx).</summary>
internal sealed record SearchResult(string Genome, double? Accuracy, double? LatencyMs, string Device)
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

        return new SearchResult(
            selected.GetProperty("genome").GetString() ?? string.Empty,
            Number(selected, "accuracy"),
            Number(selected, "latencyMs"),
            root.TryGetProperty("device", out var device) && device.TryGetProperty("name", out var name) ? name.GetString() ?? "?" : "?");
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
