using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HwAwareNas.Cluster;

/// <summary>
/// How agents and callers serialize what they exchange: the contracts with Orleans' generated codecs, Core's records
/// (device options, fingerprints, measurements) as JSON, so that Core needs no Orleans attributes.
/// </summary>
internal static class ClusterSerialization
{
    /// <summary>Largest message either side accepts: a model upload is one message.</summary>
    public const int MaxMessageBytes = 512 * 1024 * 1024;

    /// <summary>Registers the JSON codec for HwAwareNas.Core's types.</summary>
    public static void AddCoreTypes(IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("HwAwareNas.Core", StringComparison.Ordinal) == true));
}
