using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Predictors;

/// <summary>
/// The file format of a saved predictor: a zip holding <c>metadata.json</c> (<see cref="PredictorMetadata"/>),
/// <c>options.json</c> and the predictor's own entries (JSON state, or a native model such as ML.NET's).
/// </summary>
public sealed class PredictorArchive : IDisposable
{
    private const string MetadataEntry = "metadata.json";
    private const string OptionsEntry = "options.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // NaN appears in metrics (e.g. MAPE without non-zero targets) and must survive a round trip.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    private readonly ZipArchive _zip;

    private PredictorArchive(ZipArchive zip) => _zip = zip;

    /// <summary>Starts writing a predictor to <paramref name="stream"/> (left open).</summary>
    public static PredictorArchive Create(Stream stream, PredictorMetadata metadata, PredictorOptions options)
    {
        var archive = new PredictorArchive(new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true));
        archive.WriteJson(MetadataEntry, metadata);
        archive.WriteJson(OptionsEntry, options);
        return archive;
    }

    /// <summary>Opens a saved predictor from <paramref name="stream"/> (left open).</summary>
    /// <exception cref="HwNasException">The stream is not a predictor archive.</exception>
    public static PredictorArchive Open(Stream stream)
    {
        try
        {
            var archive = new PredictorArchive(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true));
            archive.Metadata = archive.ReadJson<PredictorMetadata>(MetadataEntry);
            archive.Options = archive.ReadJson<PredictorOptions>(OptionsEntry);
            return archive;
        }
        catch (InvalidDataException e)
        {
            throw new HwNasException($"Not a saved predictor: {e.Message}", ExitCode.MissingInput, e);
        }
    }

    /// <summary>The saved metadata (only when opened for reading).</summary>
    public PredictorMetadata Metadata { get; private set; } = null!;

    /// <summary>The saved options (only when opened for reading).</summary>
    public PredictorOptions Options { get; private set; } = null!;

    /// <summary>Writes <paramref name="value"/> as the JSON entry <paramref name="name"/>.</summary>
    public void WriteJson<T>(string name, T value)
    {
        using var entry = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(entry, value, JsonOptions);
    }

    /// <summary>Reads the JSON entry <paramref name="name"/>.</summary>
    /// <exception cref="HwNasException">The entry is missing or malformed.</exception>
    public T ReadJson<T>(string name)
    {
        using var entry = OpenEntry(name);
        try
        {
            return JsonSerializer.Deserialize<T>(entry, JsonOptions)
                ?? throw new HwNasException($"Saved predictor entry '{name}' is empty.", ExitCode.MissingInput);
        }
        catch (JsonException e)
        {
            throw new HwNasException($"Saved predictor entry '{name}' is malformed: {e.Message}", ExitCode.MissingInput, e);
        }
    }

    /// <summary>Writes raw bytes as the entry <paramref name="name"/>.</summary>
    public void WriteBytes(string name, ReadOnlySpan<byte> bytes)
    {
        using var entry = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    /// <summary>Reads the raw bytes of the entry <paramref name="name"/>.</summary>
    public byte[] ReadBytes(string name)
    {
        using var entry = OpenEntry(name);
        using var buffer = new MemoryStream();
        entry.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Whether the archive holds the entry <paramref name="name"/> (for parts a model saves only when fitted).</summary>
    public bool Has(string name) => _zip.GetEntry(name) is not null;

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private Stream OpenEntry(string name) =>
        (_zip.GetEntry(name) ?? throw new HwNasException(
            $"Saved predictor lacks the entry '{name}'.", ExitCode.MissingInput)).Open();
}
