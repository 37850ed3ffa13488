using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Cluster.Caller;

/// <summary>Where a caller finds the members it talks to (device agents, validators), and how it waits for them.</summary>
/// <param name="Agent">host:port of one member's gateway, or null when <paramref name="Redis"/> names the cluster.</param>
/// <param name="Redis">Connection string of the Redis membership store, or null.</param>
/// <param name="ClusterId">The cluster id.</param>
/// <param name="Tls">The caller's certificate and the members' authority.</param>
/// <param name="Wait">How long connecting retries.</param>
/// <param name="CallTimeout">Orleans' response timeout for the connection's calls.</param>
/// <param name="Purpose">What the connection is for, in messages, e.g. <c>device kind 'pi4'</c>.</param>
/// <param name="Section">The config section that names the cluster, in messages, e.g. <c>device.remote</c>.</param>
internal sealed record ClusterAddress(
    string? Agent, string? Redis, string ClusterId, TlsFiles Tls, TimeSpan Wait, TimeSpan CallTimeout, string Purpose, string Section)
{
    /// <summary>The device pool of <paramref name="remote"/>.</summary>
    public static ClusterAddress Of(RemoteDeviceOptions remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return new(remote.Agent, remote.Redis, remote.ClusterId, remote.Tls, remote.Wait, remote.CallTimeout, $"device kind '{remote.Kind}'", "device.remote");
    }

    /// <summary>The validators of <paramref name="remote"/>.</summary>
    public static ClusterAddress Of(RemoteValidationOptions remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return new(remote.Agent, remote.Redis, remote.ClusterId, remote.Tls, remote.Wait, remote.CallTimeout, "validation", "validation.remote");
    }
}
