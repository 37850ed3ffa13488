using System.Globalization;
using System.Security.Cryptography;

namespace HwAwareNas.Cluster.Agent;

/// <summary>
/// The agent's content-addressed model store: models by SHA-256, in memory, least recently used dropped first once
/// the total passes a cap. A model is kept only if its bytes hash to the name it was sent under and it is within the
/// per-model limit, so what runs is exactly what the caller hashed.
/// </summary>
internal sealed class ModelCache(long maxModelBytes, long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Hash, byte[] Bytes)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Hash, byte[] Bytes)> _recency = new();
    private long _bytes;

    /// <summary>Largest model accepted.</summary>
    public long MaxModelBytes => maxModelBytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string HashOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Adds a model; returns why it was refused, or null when it is held.</summary>
    public string? TryAdd(string sha256, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > maxModelBytes)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"the model is {bytes.LongLength / 1e6:0.###} MB, over this agent's limit of {maxModelBytes / 1e6:0.###} MB (--max-model-mb)");
        }

        var actual = HashOf(bytes);
        if (!string.Equals(actual, sha256, StringComparison.Ordinal))
        {
            return $"the model's SHA-256 is {actual}, not {sha256} as sent";
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(sha256, out var existing))
            {
                _recency.Remove(existing);
                _recency.AddFirst(existing);
                return null;
            }

            _entries[sha256] = _recency.AddFirst((sha256, bytes));
            _bytes += bytes.LongLength;
            while (_bytes > capacityBytes && _recency.Count > 1)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Hash);
                _bytes -= oldest.Value.Bytes.LongLength;
            }
        }

        return null;
    }

    /// <summary>The model with <paramref name="sha256"/>, marked recently used; null when not held.</summary>
    public byte[]? TryGet(string sha256)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(sha256, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Bytes;
        }
    }

    /// <summary>Whether the model with <paramref name="sha256"/> is held.</summary>
    public bool Contains(string sha256)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(sha256);
        }
    }
}
