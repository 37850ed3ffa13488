using HwAwareNas.Cluster.Contracts;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace HwAwareNas.Cluster.Agent;

/// <summary>Places a device agent's grain only on the measuring silo whose metadata announces the kind and id in its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class AgentPlacementFilterAttribute() : PlacementFilterAttribute(new AgentPlacementFilterStrategy());

/// <summary>The placement filter strategy of <see cref="AgentPlacementFilterAttribute"/>.</summary>
internal sealed class AgentPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>
/// Keeps the measuring silos whose <see cref="AgentKey.KindMetadata"/> and <see cref="AgentKey.IdMetadata"/> match the
/// grain key's <c>kind/agent-id</c>: measurement work for a kind can land on no other device, and never on a validator,
/// even when a caller asks for an agent by a wrong kind (then no silo qualifies and the call fails).
/// </summary>
internal sealed class AgentPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        if (!AgentKey.TryParse(target.GrainIdentity.Key.ToString(), out var kind, out var agentId))
        {
            return [];
        }

        return silos.Where(silo =>
        {
            var values = metadata.GetSiloMetadata(silo).Metadata;
            return values.GetValueOrDefault(AgentKey.RoleMetadata, AgentKey.MeasureRole) == AgentKey.MeasureRole
                && values.GetValueOrDefault(AgentKey.KindMetadata) == kind && values.GetValueOrDefault(AgentKey.IdMetadata) == agentId;
        });
    }
}
