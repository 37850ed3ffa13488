using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The static constraints (params, MACs, size) that follow from a sub-network's plan without measuring it:
/// candidates over them are never selected.
/// </summary>
internal sealed class PlanLimits(IElasticFamily family, ConstraintsOptions options)
{
    private const double BytesPerMegabyte = 1024 * 1024;

    /// <summary>Whether <paramref name="candidate"/> meets constraints.params, .macs and .size_mb (fp32 weights).</summary>
    public bool Allows(EvaluatedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (options.Params is null && options.Macs is null && options.SizeMb is null)
        {
            return true;
        }

        var plan = family.Plan(candidate.Genome);
        return plan.Parameters <= (options.Params ?? long.MaxValue)
            && plan.MultiplyAccumulates <= (options.Macs ?? long.MaxValue)
            && plan.Parameters * sizeof(float) / BytesPerMegabyte <= (options.SizeMb ?? double.MaxValue);
    }
}
