using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HwAwareNas.Cluster.Security;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// The caller's Orleans client to a device pool: one agent's gateway by address, or the gateways a Redis membership
/// store lists; mutual TLS with the caller's certificate. Connecting retries until the configured wait is over.
/// </summary>
internal sealed class AgentConnection : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TlsIdentity _tls;

    private AgentConnection(IHost host, TlsIdentity tls)
    {
        _host = host;
        _tls = tls;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The connected client.</summary>
    public IClusterClient Client { get; }

    /// <summary>Connects to the device pool <paramref name="remote"/> names, retrying for up to its wait.</summary>
    /// <exception cref="HwNasException">No gateway accepted the connection in time (exit code 3), or the TLS files are unusable.</exception>
    public static Task<AgentConnection> ConnectAsync(RemoteDeviceOptions remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return ConnectAsync(ClusterAddress.Of(remote), cancellationToken);
    }

    /// <summary>Connects to the cluster <paramref name="address"/> names, retrying for up to its wait.</summary>
    /// <exception cref="HwNasException">No gateway accepted the connection in time (exit code 3), or the TLS files are unusable.</exception>
    public static async Task<AgentConnection> ConnectAsync(ClusterAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var remote = address.Connection;
        var tls = TlsIdentity.Load(remote.Tls);
        var gateway = remote.Agent is null ? null : await ResolveAsync(remote.Agent, cancellationToken).ConfigureAwait(false);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // The caller's console belongs to its progress lines; Orleans' own reconnect chatter stays out of it.
        builder.Logging.ClearProviders();
        var clock = Stopwatch.StartNew();
        Exception? lastFailure = null;
        builder.UseOrleansClient(client =>
        {
            if (gateway is not null)
            {
                client.UseStaticClustering(gateway);
            }
            else
            {
                client.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(remote.Redis!));
            }

            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = remote.ClusterId;
                cluster.ServiceId = ClusterNames.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(messaging =>
            {
                messaging.ResponseTimeout = remote.CallTimeout;
                messaging.MaxMessageBodySize = ClusterSerialization.MaxMessageBytes;
            });
            client.UseTls(tls.Certificate, tls.Configure);
            client.UseConnectionRetryFilter(async (failure, token) =>
            {
                lastFailure = failure;
                if (clock.Elapsed >= remote.Wait)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                return true;
            });
            ClusterSerialization.AddCoreTypes(client.Services);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            tls.Dispose();
            var where = remote.Agent is null ? $"the cluster '{remote.ClusterId}' in Redis" : $"the agent at {remote.Agent}";
            throw new HwNasException(
                $"Cannot connect to {where} for {address.Purpose} (waited {clock.Elapsed.TotalSeconds:0} s): " +
                $"{(lastFailure ?? ex).Message.TrimEnd('.')}. Is an agent running there, and was its certificate issued by the authority in {address.Section}.tls.ca (and ours by its)?",
                ExitCode.MissingInput,
                ex);
        }

        return new AgentConnection(host, tls);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
            _tls.Dispose();
        }
    }

    private static async Task<IPEndPoint> ResolveAsync(string agent, CancellationToken cancellationToken)
    {
        var endpoint = HostPort.TryParse(agent, out var parsed)
            ? parsed
            : throw new HwNasException($"'{agent}' is not host:port.", ExitCode.BadConfig);
        if (IPAddress.TryParse(endpoint.Host, out var address))
        {
            return new IPEndPoint(address, endpoint.Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
            return new IPEndPoint(addresses[0], endpoint.Port);
        }
        catch (SocketException ex)
        {
            throw new HwNasException($"Cannot resolve the agent host '{endpoint.Host}': {ex.Message}", ExitCode.MissingInput, ex);
        }
    }
}
