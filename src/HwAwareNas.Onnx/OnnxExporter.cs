using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Networks;
using HwAwareNas.Onnx.Proto;

namespace HwAwareNas.Onnx;

/// <summary>
/// Writes a <see cref="SubnetGraph"/> as an ONNX model: BatchNorms that directly follow a convolution are
/// folded into it, the input is <c>input</c> [N,C,H,W] and the output <c>logits</c> [N,classes] with a dynamic
/// batch dimension N, and the options go into <c>metadata_props</c>. Only the weights the graph uses are written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the model's input value.</summary>
    public const string InputName = "input";

    /// <summary>Name of the model's output value.</summary>
    public const string OutputName = "logits";

    /// <summary>
    /// Exports <paramref name="graph"/> to <paramref name="path"/>. The model is built completely first and then
    /// written to a temporary file in the destination folder that is renamed over the destination, so an
    /// error leaves any earlier file untouched and no partial file behind.
    /// </summary>
    /// <exception cref="HwNasException">The graph is inconsistent, the options are invalid or the file cannot be written.</exception>
    public static void Export(SubnetGraph graph, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(graph, options);
        var destination = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(destination)
            ?? throw new HwNasException($"'{path}' names no file to write the model to.", ExitCode.BadConfig);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HwNasException($"Cannot write the ONNX model to '{path}': {e.Message}", ExitCode.Failure, e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The serialized ONNX model of <paramref name="graph"/> (what <see cref="Export"/> writes).</summary>
    /// <exception cref="HwNasException">The graph is inconsistent or the options are invalid.</exception>
    public static byte[] ToBytes(SubnetGraph graph, OnnxExportOptions options) => BuildModel(graph, options).ToByteArray();

    /// <summary>
    /// The number of parameters of the exported model after BatchNorm folding: the floats its initializers hold.
    /// </summary>
    /// <exception cref="HwNasException">The graph is inconsistent.</exception>
    public static long CountFoldedParameters(SubnetGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var builder = new OnnxGraphBuilder("subnet");
        _ = new SubnetGraphLowering(graph, builder).Lower();
        return builder.InitializerElementCount;
    }

    /// <summary>Builds the model message (for tests and callers that keep it in memory).</summary>
    internal static ModelProto BuildModel(SubnetGraph graph, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var builder = new OnnxGraphBuilder("subnet");
        var output = new SubnetGraphLowering(graph, builder).Lower();
        return builder.BuildModel(Metadata(graph, output[0], options));
    }

    private static List<KeyValuePair<string, string>> Metadata(SubnetGraph graph, int classes, OnnxExportOptions options)
    {
        RequireText(options.Family, nameof(options.Family));
        RequireText(options.Genome, nameof(options.Genome));
        RequireText(options.SettingsJson, nameof(options.SettingsJson));
        try
        {
            using var settings = JsonDocument.Parse(options.SettingsJson);
        }
        catch (JsonException e)
        {
            throw new HwNasException($"The family settings to store in the model are not valid JSON: {e.Message}", ExitCode.BadConfig, e);
        }

        var metadata = new List<KeyValuePair<string, string>>
        {
            new(OnnxExportOptions.FamilyKey, options.Family),
            new(OnnxExportOptions.SettingsKey, options.SettingsJson),
            new(OnnxExportOptions.GenomeKey, options.Genome),
            new(OnnxExportOptions.PreprocessingKey, PreprocessingJson(graph, classes, options.Preprocessing)),
        };
        foreach (var (key, value) in options.ExtraMetadata ?? new Dictionary<string, string>())
        {
            RequireText(key, "metadata key");
            metadata.Add(new(key, value ?? string.Empty));
        }

        return metadata;
    }

    private static string PreprocessingJson(SubnetGraph graph, int classes, OnnxPreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        var channels = graph.InputShape.Count > 0 ? graph.InputShape[0] : 0;
        if (preprocessing.Mean.Count != channels || preprocessing.Std.Count != channels)
        {
            throw new HwNasException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Preprocessing needs one mean and one std per input channel ({channels}); got {preprocessing.Mean.Count} and {preprocessing.Std.Count}."),
                ExitCode.BadConfig);
        }

        if (preprocessing.Std.Any(s => !(s > 0)) || !double.IsFinite(preprocessing.Scale) || preprocessing.Scale == 0)
        {
            throw new HwNasException("Preprocessing std values must be positive and the scale finite and non-zero.", ExitCode.BadConfig);
        }

        if (preprocessing.ClassLabels is { } names && names.Count != classes)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"The model has {classes} logits but {names.Count} class labels were given."),
                ExitCode.BadConfig);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("layout", "NCHW");
            WriteArray(json, "size", graph.InputShape.Select(d => (double)d));
            json.WriteNumber("scale", preprocessing.Scale);
            WriteArray(json, "mean", preprocessing.Mean);
            WriteArray(json, "std", preprocessing.Std);
            if (preprocessing.ClassLabels is { } labels)
            {
                json.WriteStartArray("labels");
                foreach (var label in labels)
                {
                    json.WriteStringValue(label);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static void RequireText(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new HwNasException($"The ONNX export needs a non-empty {what}.", ExitCode.BadConfig);
        }
    }
}
