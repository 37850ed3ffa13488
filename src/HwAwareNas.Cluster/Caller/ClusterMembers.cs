using System.Diagnostics;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// A caller's connections to the members of one cluster (device agents or validators): the cluster's own connection,
/// a direct connection to each member that announces its gateway (so its uploads are not forwarded by another member),
/// and which members failed recently.
/// </summary>
internal sealed class ClusterMembers(AgentConnection connection, ClusterAddress address, Action<string> notice) : IAsyncDisposable
{
    private static readonly TimeSpan DirectConnectWait = TimeSpan.FromSeconds(10);

    // A member that failed and answers again after this long is taken back: a transient fault (a stall under load, a lost
    // connection) must not cost the pool a member for the whole run. Its unfinished work went to the others already.
    private static readonly TimeSpan ReadmitAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, AgentConnection> _direct = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stopwatch> _gone = new(StringComparer.Ordinal);

    /// <summary>The cluster's connection (through any gateway).</summary>
    public IClusterClient Cluster => connection.Client;

    /// <summary>The member's direct connection, or the cluster's when it has none.</summary>
    public IClusterClient ClientFor(string memberId) => _direct.TryGetValue(memberId, out var direct) ? direct.Client : connection.Client;

    /// <summary>Records that the member failed; it is not asked again for <see cref="ReadmitAfter"/>.</summary>
    public void MarkGone(string memberId) => _gone[memberId] = Stopwatch.StartNew();

    /// <summary>Whether the member failed less than <see cref="ReadmitAfter"/> ago.</summary>
    public bool IsResting(string memberId) => _gone.TryGetValue(memberId, out var since) && since.Elapsed < ReadmitAfter;

    /// <summary>Takes the member back; true when it had failed before (it answers again).</summary>
    public bool Readmit(string memberId) => _gone.Remove(memberId);

    /// <summary>
    /// Opens a direct connection to the member's gateway when the cluster is found through Redis and the member announces
    /// one; if that fails, its calls go through the cluster's connection, and <paramref name="who"/> says so.
    /// </summary>
    public async Task ConnectDirectlyAsync(AgentListing listing, string who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (address.Connection.Redis is null || listing.Gateway is not { } gateway || _direct.ContainsKey(listing.AgentId))
        {
            return;
        }

        try
        {
            _direct[listing.AgentId] = await AgentConnection.ConnectAsync(address with { Connection = address.Connection with { Agent = gateway, Redis = null, Wait = DirectConnectWait } }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HwNasException ex) when (!cancellationToken.IsCancellationRequested)
        {
            notice($"{who}: no direct connection to its gateway {gateway} ({RemoteCalls.FirstLine(ex.Message)}); its calls go through the cluster's gateways");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var direct in _direct.Values)
        {
            await direct.DisposeAsync().ConfigureAwait(false);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
