using System.Globalization;
using System.Security.Cryptography;
using HwAwareNas.Cluster.Contracts;

namespace HwAwareNas.Cluster.Validator;

/// <summary>
/// A validator's inputs (checkpoint, training record, dataset files) on disk by SHA-256: uploaded in chunks into
/// <c>partial/</c>, kept in <c>blobs/</c> once the whole file hashes to its name, or read in place from a shared folder
/// the caller named. Every file is hashed once per process before it is used, so what is validated is exactly what the
/// caller hashed: a shared copy that hashes differently is refused, a cached copy that changed since is dropped (and
/// uploaded again).
/// </summary>
internal sealed class InputCache
{
    private readonly string _blobs;
    private readonly string _partial;
    private readonly string _setups;
    private readonly Lock _gate = new();

    // Files hashed in this process: path → (length, last write, hash); a file changed since is hashed again.
    private readonly Dictionary<string, (long Length, DateTime Written, string Sha256)> _verified = new(StringComparer.Ordinal);

    /// <summary>Creates the cache in <paramref name="folder"/> (created when missing).</summary>
    public InputCache(string folder)
    {
        Folder = Path.GetFullPath(folder);
        _blobs = Path.Combine(Folder, "blobs");
        _partial = Path.Combine(Folder, "partial");
        _setups = Path.Combine(Folder, "setups");
        Directory.CreateDirectory(_blobs);
        Directory.CreateDirectory(_partial);
        Directory.CreateDirectory(_setups);
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Finds every input of <paramref name="setup"/>: the files (role → path) ready to read, or the hashes still to upload,
    /// or why the setup is refused (a shared copy that hashes differently).
    /// </summary>
    public PreparedInputs Prepare(ValidationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var input in setup.Inputs)
        {
            // The caller's shared folder first: when it names one, that copy is what must be validated on.
            var shared = setup.Shared is { } folder ? Path.Combine(folder, input.Sha256) : null;
            if (shared is not null && File.Exists(shared))
            {
                var actual = Verified(shared);
                if (actual != input.Sha256)
                {
                    return new PreparedInputs(null, [], $"its copy of the {input.Role} file '{input.FileName}' in the shared folder ({shared}) hashes to {actual}, not {input.Sha256}");
                }

                paths[input.Role] = shared;
                continue;
            }

            var blob = Path.Combine(_blobs, input.Sha256);
            if (File.Exists(blob))
            {
                if (Verified(blob) == input.Sha256)
                {
                    paths[input.Role] = blob;
                    continue;
                }

                // Our own copy changed on disk since it was checked: drop it and have it sent again.
                File.Delete(blob);
            }

            missing.Add(input.Sha256);
        }

        return missing.Count > 0 ? new PreparedInputs(null, [.. missing.Distinct(StringComparer.Ordinal)], null) : new PreparedInputs(Link(setup, paths), [], null);
    }

    /// <summary>Appends one uploaded chunk (ignored unless it starts where the upload stands); the last one is hash-checked.</summary>
    public ChunkReply Append(ValidationInput input, long offset, byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chunk);
        if (!IsSha256(input.Sha256))
        {
            return new ChunkReply(0, $"'{input.Sha256}' is not a SHA-256");
        }

        var blob = Path.Combine(_blobs, input.Sha256);
        var part = Path.Combine(_partial, input.Sha256 + ".part");
        lock (_gate)
        {
            if (File.Exists(blob))
            {
                return new ChunkReply(input.Length, null);
            }

            var held = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (offset != held)
            {
                return new ChunkReply(held, null);
            }

            if (held + chunk.LongLength > input.Length)
            {
                File.Delete(part);
                return new ChunkReply(0, string.Create(CultureInfo.InvariantCulture, $"the upload of '{input.FileName}' is longer than the {input.Length} bytes announced"));
            }

            using (var stream = new FileStream(part, FileMode.Append, FileAccess.Write))
            {
                stream.Write(chunk);
            }

            held += chunk.LongLength;
            if (held < input.Length)
            {
                return new ChunkReply(held, null);
            }

            var actual = HashOf(part);
            if (actual != input.Sha256)
            {
                File.Delete(part);
                return new ChunkReply(0, $"the uploaded '{input.FileName}' hashes to {actual}, not {input.Sha256} as sent");
            }

            File.Move(part, blob, overwrite: true);
            return new ChunkReply(held, null);
        }
    }

    private string Verified(string path)
    {
        var info = new FileInfo(path);
        lock (_gate)
        {
            if (_verified.TryGetValue(path, out var known) && known.Length == info.Length && known.Written == info.LastWriteTimeUtc)
            {
                return known.Sha256;
            }
        }

        var sha = HashOf(path);
        lock (_gate)
        {
            _verified[path] = (info.Length, info.LastWriteTimeUtc, sha);
        }

        return sha;
    }

    /// <summary>
    /// Links the inputs under their callers' file names in a folder of the setup: readers tell formats by the name
    /// (<c>.gz</c>), and a checkpoint's training record must sit beside it as <c>&lt;checkpoint&gt;.json</c>.
    /// </summary>
    private Dictionary<string, string> Link(ValidationSetup setup, Dictionary<string, string> sources)
    {
        var folder = Path.Combine(_setups, setup.Key);
        var checkpointName = setup.Inputs.FirstOrDefault(i => i.Role == ValidationInputRoles.Checkpoint)?.FileName ?? "supernet.ckpt";
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var input in setup.Inputs)
            {
                var link = input.Role switch
                {
                    ValidationInputRoles.Checkpoint => Path.Combine(folder, "checkpoint", checkpointName),
                    ValidationInputRoles.Record => Path.Combine(folder, "checkpoint", checkpointName + ".json"),
                    _ => Path.Combine(folder, input.Role, Path.GetFileName(input.FileName)),
                };
                Directory.CreateDirectory(Path.GetDirectoryName(link)!);
                var target = new FileInfo(link).LinkTarget;
                if (target != sources[input.Role])
                {
                    File.Delete(link);
                    File.CreateSymbolicLink(link, sources[input.Role]);
                }

                links[input.Role] = link;
            }
        }

        return links;
    }

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}

/// <summary>What <see cref="InputCache.Prepare"/> found.</summary>
/// <param name="Paths">The files by role, when every input is at hand.</param>
/// <param name="Missing">Hashes to upload.</param>
/// <param name="Refusal">Why the setup is refused, or null.</param>
internal sealed record PreparedInputs(IReadOnlyDictionary<string, string>? Paths, string[] Missing, string? Refusal);
