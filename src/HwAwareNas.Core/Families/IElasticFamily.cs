using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Families;

/// <summary>
/// An elastic super-network family under concrete settings: its search space, and the concrete layers of the
/// sub-network any genome denotes.
/// </summary>
public interface IElasticFamily : ISearchSpace
{
    /// <summary>Shape of one input image.</summary>
    FeatureShape Input { get; }

    /// <summary>Number of output classes.</summary>
    int Classes { get; }

    /// <summary>The settings as <c>key=value</c> pairs that recreate this family through <see cref="FamilyRegistry"/>.</summary>
    string SettingsText { get; }

    /// <summary>
    /// The concrete layers of the sub-network <paramref name="genome"/> denotes; throws
    /// <see cref="Diagnostics.HwNasException"/> for an invalid genome.
    /// </summary>
    SubnetPlan Plan(Genome genome);

    /// <summary>
    /// The kernel sizes (ascending) the depthwise convolution in <paramref name="slot"/> takes across sub-networks when
    /// it is elastic, else empty: the slots where OFA learns kernel-transform matrices (one per pair of adjacent sizes).
    /// </summary>
    IReadOnlyList<int> ElasticKernelSizes(string slot) => [];
}
