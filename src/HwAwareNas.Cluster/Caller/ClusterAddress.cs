using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Cluster.Caller;

/// <summary>Where a caller finds the members it talks to (device agents, validators), and how it waits for them.</summary>
/// <param name="Connection">The configured connection (its wait bounds connecting; its call timeout is Orleans' response timeout).</param>
/// <param name="Purpose">What the connection is for, in messages, e.g. <c>device kind 'pi4'</c>.</param>
/// <param name="Section">The config section that names the cluster, in messages, e.g. <c>device.remote</c>.</param>
internal sealed record ClusterAddress(RemoteConnection Connection, string Purpose, string Section)
{
    /// <summary>The device pool of <paramref name="remote"/>.</summary>
    public static ClusterAddress Of(RemoteDeviceOptions remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return new(remote.Connection, $"device kind '{remote.Kind}'", "device.remote");
    }

    /// <summary>The validators of <paramref name="remote"/>.</summary>
    public static ClusterAddress Of(RemoteValidationOptions remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return new(remote.Connection, "validation", "validation.remote");
    }
}
