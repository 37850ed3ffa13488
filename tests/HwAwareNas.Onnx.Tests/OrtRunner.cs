using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime on the CPU.</summary>
internal static class OrtRunner
{
    public static (float[] Values, long[] Shape) Run(string modelPath, float[] input, long[] inputShape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], [OnnxExporter.OutputName]);
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }
}
