using HwAwareNas.Cluster.Contracts;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace HwAwareNas.Cluster.Validator;

/// <summary>Places a validator's grain only on the validator silo whose metadata announces the id in its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ValidatorPlacementFilterAttribute() : PlacementFilterAttribute(new ValidatorPlacementFilterStrategy());

/// <summary>The placement filter strategy of <see cref="ValidatorPlacementFilterAttribute"/>.</summary>
internal sealed class ValidatorPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>
/// Keeps the silos whose role is <see cref="AgentKey.ValidatorRole"/> and whose <see cref="AgentKey.IdMetadata"/> is the
/// grain key: validations land on that validator or nowhere, never on a device agent (which carries no TorchSharp and
/// must run nothing but its measurements).
/// </summary>
internal sealed class ValidatorPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var validatorId = target.GrainIdentity.Key.ToString();
        return silos.Where(silo =>
        {
            var values = metadata.GetSiloMetadata(silo).Metadata;
            return values.GetValueOrDefault(AgentKey.RoleMetadata) == AgentKey.ValidatorRole && values.GetValueOrDefault(AgentKey.IdMetadata) == validatorId;
        });
    }
}
