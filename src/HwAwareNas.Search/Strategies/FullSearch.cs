using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// DyNAS-T's full search: measure <see cref="Samples"/> genomes (the largest and smallest, then depth-balanced or
/// random ones as <see cref="Sampling"/> says), fit one surrogate per objective on them,
/// run NSGA-II on the surrogates, then verify the predicted front by live measurement (Laube et al.), together with
/// the final population's members the surrogates are too unsure about to rule out (<see cref="UncertainCandidates"/>),
/// as far as the population's size allows.
/// </summary>
/// <param name="samples">Genomes measured to fit the surrogates.</param>
/// <param name="createModel">Makes a fresh, unfitted surrogate for an objective.</param>
/// <param name="inner">NSGA-II settings for the search on the surrogates.</param>
/// <param name="sampling">How the sampled genomes beside the two anchors are drawn (seeded by the context's seed).</param>
public sealed class FullSearch(
    int samples, Func<Objective, ISurrogateModel> createModel, Nsga2Settings inner, SubnetSampling sampling = SubnetSampling.Balanced)
    : ISearchStrategy
{
    /// <summary>Genomes measured to fit the surrogates.</summary>
    public int Samples { get; } = samples;

    /// <summary>How the sampled genomes beside the two anchors are drawn.</summary>
    public SubnetSampling Sampling { get; } = sampling;

    /// <inheritdoc />
    public string Name => "full";

    /// <inheritdoc />
    public async Task<SearchOutcome> RunAsync(SearchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(inner);
        var budget = Samples + inner.PopulationSize;
        var genomes = DistinctSampling.Anchored(context.Space, Samples, new Random(context.Seed), Sampling);
        await context.Recorded(Name + "-sample").EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        context.Report(Name + "-sample", budget);
        cancellationToken.ThrowIfCancellationRequested();

        using var surrogate = SurrogateEvaluator.Fit(context.Objectives, context.MeasuredTrials(), createModel);
        var algorithm = Nsga2.Create(context.Space, context.Objectives, context.Constraints, inner with { Seed = context.Seed });
        await AskTellLoop.RunAsync(algorithm, surrogate, cancellationToken).ConfigureAwait(false);
        context.Report(Name + "-predict", budget);

        var predictedFront = algorithm.Population.Where(i => i.Rank == 0).Select(i => i.Candidate).ToList();
        var uncertain = UncertainCandidates.Select(
            surrogate,
            [.. algorithm.Population.Select(i => i.Candidate)],
            predictedFront,
            context.Constraints,
            inner.PopulationSize - predictedFront.Count);
        var verification = await FrontVerification.VerifyAsync(
            [.. predictedFront.Select(c => c.Genome), .. uncertain], context.Recorded(Name + "-verify"), context.Constraints, cancellationToken)
            .ConfigureAwait(false);
        context.Report(Name + "-verify", budget);
        return new SearchOutcome(Name, verification.Verified, context.MeasuredTrials(), verification.Remeasured);
    }
}
