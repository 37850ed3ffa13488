using System.Net;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Cluster.Security;
using HwAwareNas.Cluster.Validator;
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
/// Builds an agent's Orleans silo: its role, device kind and id in the silo metadata, the agent and validator placement
/// filters, mutual TLS, Redis membership (or its own primary silo when there is no store), and the services of the
/// measuring grain (a device agent) or of the validating grain (a validator).
/// </summary>
internal static class AgentHost
{
    /// <summary>
    /// The host of an agent with <paramref name="settings"/>; start it to join the cluster. A validator needs
    /// <paramref name="validator"/>, what computes its accuracies.
    /// </summary>
    public static IHost Build(AgentSettings settings, TlsIdentity tls, ISupernetValidator? validator = null)
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
            silo.Configure<SiloOptions>(s => s.SiloName = settings.SiloName);
            silo.ConfigureEndpoints(settings.Listen, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<SiloMessagingOptions>(messaging => messaging.MaxMessageBodySize = ClusterSerialization.MaxMessageBytes);
            var metadata = new Dictionary<string, string>
            {
                [AgentKey.IdMetadata] = settings.AgentId,
                [AgentKey.RoleMetadata] = settings.Role,

                // Callers send an agent's calls to its own gateway: through another agent's, every upload would be
                // forwarded by that agent's silo, on the core it is measuring with.
                [AgentKey.GatewayMetadata] = new HostPort(settings.Listen.ToString(), settings.GatewayPort).ToString(),
            };
            if (!settings.IsValidator)
            {
                metadata[AgentKey.KindMetadata] = settings.Kind;
            }

            silo.UseSiloMetadata(metadata);

            // Every silo may be asked to place either grain (a caller's gateway can be any member): both filters everywhere.
            silo.Services.AddPlacementFilter<AgentPlacementFilterStrategy, AgentPlacementFilterDirector>(ServiceLifetime.Singleton);
            silo.Services.AddPlacementFilter<ValidatorPlacementFilterStrategy, ValidatorPlacementFilterDirector>(ServiceLifetime.Singleton);
            silo.UseTls(tls.Certificate, tls.Configure);
            ClusterSerialization.AddCoreTypes(silo.Services);
            if (settings.IsValidator)
            {
                silo.Services.AddSingleton(new ValidatorIdentity(settings.AgentId, settings.Threads));
                silo.Services.AddSingleton(new InputCache(settings.CacheFolder ?? throw new ArgumentException("A validator needs a cache folder.", nameof(settings))));
                silo.Services.AddSingleton(validator ?? throw new ArgumentNullException(nameof(validator), "A validator needs what computes its accuracies."));
                silo.Services.AddSingleton(new AgentJobs<ValidationReply>(forget: reply => reply.Accuracy is null));
            }
            else
            {
                silo.Services.AddSingleton(new AgentIdentity(settings.Kind, settings.AgentId, settings.Role));
                silo.Services.AddSingleton(new ModelCache(settings.MaxModelBytes, settings.CacheBytes));
                silo.Services.AddSingleton<AgentProfilers>();
                silo.Services.AddSingleton(new AgentJobs<MeasureReply>(forget: reply => reply.MissingModels.Length > 0));
            }
        });
        var host = builder.Build();
        tls.Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HwAwareNas.Agent.Tls");
        return host;
    }
}
