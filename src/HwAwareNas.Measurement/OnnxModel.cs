using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Measurement;

/// <summary>An ONNX model to measure: serialized bytes held in memory, or a file on disk.</summary>
public sealed class OnnxModel
{
    private OnnxModel(byte[]? bytes, string? path)
    {
        Bytes = bytes;
        FilePath = path;
    }

    /// <summary>The serialized model, or null when the model is a file.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The model file, or null when the model is held in memory.</summary>
    public string? FilePath { get; }

    /// <summary>A model held in memory (e.g. what the exporter returned).</summary>
    public static OnnxModel FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new OnnxModel(bytes, null);
    }

    /// <summary>A model file.</summary>
    /// <exception cref="HwNasException">The file does not exist.</exception>
    public static OnnxModel FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new HwNasException($"The ONNX model '{path}' does not exist.", ExitCode.MissingInput);
        }

        return new OnnxModel(null, fullPath);
    }

    /// <inheritdoc />
    public override string ToString() => FilePath ?? $"<{Bytes!.Length} bytes>";
}
