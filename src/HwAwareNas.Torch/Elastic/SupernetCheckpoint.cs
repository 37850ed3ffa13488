using System.Globalization;
using System.Text;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// Super-network weights on disk: a short header naming the family, its settings, input and classes, then
/// TorchSharp's state-dict encoding. Loading checks the header first, so weights trained for other settings are
/// refused with a clear message instead of being loaded into the wrong layers.
/// </summary>
public static class SupernetCheckpoint
{
    private const string Magic = "HWNAS-SUPERNET-1";

    /// <summary>Writes the super-network's weights and BatchNorm statistics to <paramref name="path"/>.</summary>
    public static void Save(ElasticSupernet supernet, string path)
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Written to a temporary file first so an interrupted save never leaves a truncated checkpoint behind.
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(Describe(supernet));
            supernet.save(writer);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Loads weights saved by <see cref="Save"/> into <paramref name="supernet"/>. Throws <see cref="HwNasException"/>
    /// (<see cref="ExitCode.MissingInput"/>) when the file is missing, is not a checkpoint, is corrupt, or was saved for
    /// another family or other settings.
    /// </summary>
    public static void Load(ElasticSupernet supernet, string path)
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new HwNasException($"Super-network checkpoint '{path}' does not exist.", ExitCode.MissingInput);
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (ReadHeaderString(reader) != Magic)
            {
                throw new HwNasException(
                    $"'{path}' is not a HwAwareNas super-network checkpoint.", ExitCode.MissingInput);
            }

            var saved = reader.ReadString();
            var expected = Describe(supernet);
            if (saved != expected)
            {
                throw new HwNasException(
                    $"Checkpoint '{path}' was saved for {saved}, but the configuration asks for {expected}; retrain or fix the configuration.",
                    ExitCode.MissingInput);
            }

            supernet.load(reader, strict: true);
            if (stream.Position != stream.Length)
            {
                throw new HwNasException($"Checkpoint '{path}' has unexpected data after the weights.", ExitCode.MissingInput);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException
            or NotSupportedException or OverflowException or System.Runtime.InteropServices.ExternalException)
        {
            throw new HwNasException($"Checkpoint '{path}' is corrupt or does not match this super-network: {e.Message}", ExitCode.MissingInput, e);
        }
    }

    private static string Describe(ElasticSupernet supernet) => string.Create(
        CultureInfo.InvariantCulture,
        $"{supernet.Family.Family} [{supernet.Family.SettingsText}] input {supernet.Family.Input} classes {supernet.Family.Classes}");

    // A foreign file can start with any bytes; a length prefix beyond the magic's size means it is not ours.
    private static string ReadHeaderString(BinaryReader reader)
    {
        var length = reader.BaseStream.Length > 0 ? reader.ReadByte() : -1;
        if (length != Magic.Length)
        {
            return string.Empty;
        }

        return Encoding.UTF8.GetString(reader.ReadBytes(length));
    }
}
