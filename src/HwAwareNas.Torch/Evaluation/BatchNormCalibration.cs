using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Evaluation;

/// <summary>
/// Re-estimates BatchNorm running statistics for the active sub-network: shared weights serve many sub-networks, so the
/// statistics left by training fit none of them. Statistics are reset and re-accumulated over calibration images as an
/// equal-weight average of the batches (PyTorch's <c>momentum=None</c>), in train mode without gradients. A sub-network
/// without BatchNorm (a Transformer, whose LayerNorms normalise each token by itself and keep no statistics) needs none:
/// it is only set to eval mode.
/// </summary>
public static class BatchNormCalibration
{
    /// <summary>Re-calibrates the active sub-network's BatchNorm statistics on <paramref name="calibration"/>, then sets eval mode.</summary>
    public static void Recalibrate(ElasticSupernet network, ImageDataset calibration, DatasetNormalization normalization, int batchSize = 250)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(calibration);
        if (!network.HasBatchNorm)
        {
            network.eval();
            return;
        }

        var momentum = network.BatchNormMomentum;
        try
        {
            network.ResetRunningStatistics();
            network.train();
            using var noGrad = no_grad();
            var batchNumber = 0;
            foreach (var batch in TensorBatches.Of(calibration, normalization, batchSize))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    batchNumber++;
                    // Momentum 1/k makes the running value the plain mean of the k batches seen so far.
                    network.BatchNormMomentum = 1.0 / batchNumber;
                    network.forward(batch.Images);
                }
            }
        }
        finally
        {
            network.BatchNormMomentum = momentum;
            network.eval();
        }
    }
}
