using HwAwareNas.Core.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Measurement;

/// <summary>The execution providers of the ONNX Runtime build this process loaded (loading its native library).</summary>
public static class ExecutionProviders
{
    /// <summary>ONNX Runtime's name for an execution provider.</summary>
    public static string OrtName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cpu => "CPUExecutionProvider",
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        ExecutionProvider.TensorRT => "TensorrtExecutionProvider",
        ExecutionProvider.OpenVino => "OpenVINOExecutionProvider",
        ExecutionProvider.CoreML => "CoreMLExecutionProvider",
        ExecutionProvider.DirectML => "DmlExecutionProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown execution provider."),
    };

    /// <summary>ONNX Runtime's names of the providers this build has.</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>Whether this build can run <paramref name="provider"/>.</summary>
    public static bool IsAvailable(ExecutionProvider provider) => Available().Contains(OrtName(provider), StringComparer.Ordinal);

    /// <summary>The ONNX Runtime version, for messages.</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();
}
