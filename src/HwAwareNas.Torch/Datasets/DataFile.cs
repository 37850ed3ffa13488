using System.IO.Compression;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Torch.Datasets;

/// <summary>Reads a whole data file, transparently un-gzipping it, with clear errors for missing or corrupt files.</summary>
internal static class DataFile
{
    private const byte GzipMagic0 = 0x1f;
    private const byte GzipMagic1 = 0x8b;

    /// <summary>The file's bytes, decompressed when the file is gzip.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new HwNasException($"Dataset file not found: {path}", ExitCode.MissingInput);
        }

        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != GzipMagic0 || raw[1] != GzipMagic1)
        {
            return raw;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new HwNasException($"Dataset file {path} is a corrupt or truncated gzip file: {e.Message}", ExitCode.MissingInput, e);
        }
    }
}
