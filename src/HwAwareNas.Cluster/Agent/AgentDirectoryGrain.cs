using HwAwareNas.Cluster.Contracts;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace HwAwareNas.Cluster.Agent;

/// <summary>Lists the active agent and validator silos from the cluster's membership and each silo's metadata.</summary>
[StatelessWorker]
internal sealed class AgentDirectoryGrain(IClusterMembershipService membership, ISiloMetadataCache metadata) : Grain, IAgentDirectoryGrain
{
    /// <inheritdoc />
    public Task<AgentListing[]> ListAsync()
    {
        var listings = new List<AgentListing>();
        foreach (var member in membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active))
        {
            // A silo that just joined may not have published its metadata here yet: it is listed on a later call.
            var values = metadata.GetSiloMetadata(member.SiloAddress).Metadata;
            if (values.TryGetValue(AgentKey.IdMetadata, out var id))
            {
                listings.Add(new AgentListing(
                    values.GetValueOrDefault(AgentKey.KindMetadata, string.Empty), id, values.GetValueOrDefault(AgentKey.RoleMetadata, AgentKey.MeasureRole), member.SiloAddress.ToString(), values.GetValueOrDefault(AgentKey.GatewayMetadata)));
            }
        }

        return Task.FromResult(listings.OrderBy(l => l.Kind, StringComparer.Ordinal).ThenBy(l => l.AgentId, StringComparer.Ordinal).ToArray());
    }
}
