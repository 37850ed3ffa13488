using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace FashionMnistApp;

/// <summary>
/// How the model wants its input prepared, read from the <c>preprocessing</c> entry hwnas writes into the model's
/// metadata (scale, then per-channel mean and std): the app follows the model rather than repeating the training's
/// numbers, so a retrained super-network with other statistics still gets the right input.
/// </summary>
internal sealed record ModelPreprocessing(double Scale, double[] Mean, double[] Std)
{
    /// <summary>Reads the entry from a loaded model; fails when it is missing or not for one grey channel.</summary>
    public static ModelPreprocessing Read(InferenceSession session, string modelPath)
    {
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue("preprocessing", out var text))
        {
            throw new InvalidDataException($"{modelPath} has no 'preprocessing' metadata; was it written by hwnas?");
        }

        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var preprocessing = new ModelPreprocessing(
            root.GetProperty("scale").GetDouble(),
            [.. root.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble())],
            [.. root.GetProperty("std").EnumerateArray().Select(v => v.GetDouble())]);
        if (preprocessing.Mean.Length != 1 || preprocessing.Std.Length != 1)
        {
            throw new InvalidDataException($"{modelPath} expects {preprocessing.Mean.Length} input channels; Fashion-MNIST images have one.");
        }

        return preprocessing;
    }

    /// <summary>(pixel × scale − mean) / std for every pixel of single-channel images.</summary>
    public float[] Apply(byte[] pixels)
    {
        var scale = (float)Scale;
        var mean = (float)Mean[0];
        var std = (float)Std[0];
        var values = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            values[i] = ((pixels[i] * scale) - mean) / std;
        }

        return values;
    }
}
