using System.Security.Cryptography;
using System.Text;

namespace HwAwareNas.Core.Results;

/// <summary>
/// Short content hashes for results-store keys (family settings, checkpoints, datasets): the first 16 hex digits
/// of SHA-256, identical on every run and platform, unlike <see cref="string.GetHashCode()"/>.
/// </summary>
public static class StableHash
{
    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string OfText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Shorten(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The hash of a file's contents (read as a stream, so large checkpoints are fine).</summary>
    public static string OfFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Shorten(SHA256.HashData(stream));
    }

    private static string Shorten(byte[] digest) => Convert.ToHexStringLower(digest)[..16];
}
