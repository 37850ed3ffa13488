using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The cost objectives that follow exactly from a sub-network's layers (parameters, MACs, fp32 model size), so no
/// predictor and no measurement is needed for them.
/// </summary>
internal sealed class StructuralCosts(IElasticFamily family)
{
    /// <summary>Bytes in the megabyte that <c>constraints.size_mb</c> and the size objective use.</summary>
    public const double BytesPerMegabyte = 1024 * 1024;

    /// <summary>Whether <paramref name="objective"/> is one of params, macs or size.</summary>
    public static bool IsStructural(Objective objective) =>
        objective == Objective.Params || objective == Objective.Macs || objective == Objective.Size;

    /// <summary>Bytes of the fp32 weights of <paramref name="parameters"/> parameters.</summary>
    public static long SizeBytes(long parameters) => parameters * sizeof(float);

    /// <summary>
    /// The objectives a search optimises for hwnas.yaml's <c>objectives</c>: accuracy and latency first (the loader
    /// requires both), then params, macs and size in the order written.
    /// </summary>
    public static IReadOnlyList<Objective> SearchObjectives(IReadOnlyList<ObjectiveKind> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return [Objective.Accuracy, Objective.Latency, .. configured.Select(Objective.Of).Where(IsStructural).Distinct()];
    }

    /// <summary>The value of the structural <paramref name="objective"/> for <paramref name="genome"/>.</summary>
    public double ValueOf(Objective objective, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (!IsStructural(objective))
        {
            throw new ArgumentException($"'{objective.Name}' is not a structural objective.", nameof(objective));
        }

        var plan = family.Plan(genome);
        return objective == Objective.Params ? plan.Parameters
            : objective == Objective.Macs ? plan.MultiplyAccumulates
            : SizeBytes(plan.Parameters) / BytesPerMegabyte;
    }

    /// <summary>A surrogate slot for <paramref name="objective"/> that needs no fitting: it computes the exact value.</summary>
    public Search.Surrogates.ISurrogateModel ExactModel(Objective objective) => new ExactCostModel(this, objective);

    private sealed class ExactCostModel(StructuralCosts costs, Objective objective) : Search.Surrogates.ISurrogateModel
    {
        public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
        {
            // Nothing to learn: the value follows from the genome.
        }

        public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) => [.. genomes.Select(g => costs.ValueOf(objective, g))];

        // Exact values: no uncertainty.
        public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) => [.. genomes.Select(_ => 0.0)];

        public void Dispose()
        {
            // Nothing held.
        }
    }
}
