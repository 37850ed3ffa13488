using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace FashionMnistApp;

/// <summary>
/// The ONNX Runtime settings the selected model's latency was measured with (inference_settings.json beside
/// model.onnx): using the same ones is what makes the app's latency comparable to the search's.
/// </summary>
internal sealed record InferenceSettings(string Provider, int IntraOpThreads, int InterOpThreads, string GraphOptimization, int Batch)
{
    /// <summary>Reads the file; keys may be written snake_case or camelCase.</summary>
    public static InferenceSettings Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new InferenceSettings(
            Find(root, "provider")?.GetString() ?? "cpu",
            Find(root, "intraopthreads")?.GetInt32() ?? 1,
            Find(root, "interopthreads")?.GetInt32() ?? 1,
            (Find(root, "graphoptimization") ?? Find(root, "graphoptimizationlevel"))?.GetString() ?? "all",
            (Find(root, "batch") ?? Find(root, "batchsize"))?.GetInt32() ?? 1);
    }

    /// <summary>Session options with these settings.</summary>
    public SessionOptions ToSessionOptions()
    {
        if (!string.Equals(Provider, "cpu", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"This sample runs on the CPU; the model was measured on '{Provider}'.");
        }

        return new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = InterOpThreads,
            GraphOptimizationLevel = GraphOptimization.ToLowerInvariant() switch
            {
                "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
    }

    private static JsonElement? Find(JsonElement root, string normalizedName)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name.Replace("_", string.Empty, StringComparison.Ordinal), normalizedName, StringComparison.OrdinalIgnoreCase)
                && property.Value.ValueKind is not JsonValueKind.Null)
            {
                return property.Value;
            }
        }

        return null;
    }
}
