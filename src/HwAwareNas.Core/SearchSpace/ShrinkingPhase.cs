namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// A phase of Once-for-All's progressive shrinking, in training order. Each phase releases one more elastic dimension;
/// the dimensions of earlier phases stay released.
/// </summary>
public enum ShrinkingPhase
{
    /// <summary>Only the largest sub-network trains.</summary>
    Largest,

    /// <summary>Kernel sizes (<c>ks</c> genes) vary.</summary>
    Kernel,

    /// <summary>Depths (<c>d</c> genes) vary as well.</summary>
    Depth,

    /// <summary>Channel widths vary as well: expand ratios (<c>e</c>) and width multipliers (<c>w</c>).</summary>
    Expand,
}
