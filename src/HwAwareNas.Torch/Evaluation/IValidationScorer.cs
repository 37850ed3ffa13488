using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;

namespace HwAwareNas.Torch.Evaluation;

/// <summary>
/// Classifies the validation split with a super-network's active sub-network, already re-calibrated and in eval mode:
/// lets the search score the model it ships (e.g. the exported ONNX graph) instead of the TorchSharp module.
/// </summary>
public interface IValidationScorer
{
    /// <summary>Top-1 accuracy (0..1) on the validation split of <paramref name="network"/>'s active sub-network, <paramref name="genome"/>.</summary>
    double Top1(ElasticSupernet network, Genome genome);
}
