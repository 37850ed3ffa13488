using System.Net;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Cluster.Security;
using HwAwareNas.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using StackExchange.Redis;

namespace HwAwareNas.Cluster.Agent;

/// <summary>
/// Builds an agent's Orleans silo: its device kind and id in the silo metadata, the agent placement filter, mutual TLS,
/// Redis membership (or its own primary silo when there is no store), and the measuring grain's services.
/// </summary>
internal static class AgentHost
{
    /// <summary>The host of an agent with <paramref name="settings"/>; start it to join the cluster.</summary>
    public static IHost Build(AgentSettings settings, TlsIdentity tls)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tls);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("HwAwareNas", LogLevel.Information);

        // A refused TLS handshake is logged by Orleans' TLS middleware: keep it visible.
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.Information);
        builder.UseOrleans(silo =>
        {
            if (settings.Redis is null)
            {
                silo.UseDevelopmentClustering(new IPEndPoint(settings.Listen, settings.SiloPort));
            }
            else
            {
                silo.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(settings.Redis));
            }

            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.ClusterId;
                cluster.ServiceId = ClusterNames.ServiceId;
            });
            silo.Configure<SiloOptions>(s => s.SiloName = AgentKey.Of(settings.Kind, settings.AgentId));
            silo.ConfigureEndpoints(settings.Listen, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<SiloMessagingOptions>(messaging => messaging.MaxMessageBodySize = ClusterSerialization.MaxMessageBytes);
            silo.UseSiloMetadata(new Dictionary<string, string>
            {
                [AgentKey.KindMetadata] = settings.Kind,
                [AgentKey.IdMetadata] = settings.AgentId,
                [AgentKey.RoleMetadata] = AgentKey.MeasureRole,

                // Callers send an agent's calls to its own gateway: through another agent's, every upload would be
                // forwarded by that agent's silo, on the core it is measuring with.
                [AgentKey.GatewayMetadata] = new HostPort(settings.Listen.ToString(), settings.GatewayPort).ToString(),
            });
            silo.Services.AddPlacementFilter<AgentPlacementFilterStrategy, AgentPlacementFilterDirector>(ServiceLifetime.Singleton);
            silo.UseTls(tls.Certificate, tls.Configure);
            ClusterSerialization.AddCoreTypes(silo.Services);
            silo.Services.AddSingleton(new AgentIdentity(settings.Kind, settings.AgentId, AgentKey.MeasureRole));
            silo.Services.AddSingleton(new ModelCache(settings.MaxModelBytes, settings.CacheBytes));
            silo.Services.AddSingleton<AgentProfilers>();
            silo.Services.AddSingleton<AgentJobs>();
        });
        var host = builder.Build();
        tls.Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HwAwareNas.Agent.Tls");
        return host;
    }
}
