using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Evaluation;

/// <summary>
/// Top-1 accuracy of sub-networks of a super-network: set the genome active, re-calibrate BatchNorm on the calibration
/// split, then classify the validation split in eval mode (with TorchSharp, or with the given
/// <see cref="IValidationScorer"/>). Deterministic for the same weights and data.
/// </summary>
public sealed class SubnetAccuracy
{
    private readonly ElasticSupernet _network;
    private readonly DatasetSplits _data;
    private readonly int _batchSize;
    private readonly IValidationScorer? _scorer;
    private readonly Lock _gate = new();

    /// <summary>
    /// Creates an accuracy measure over <paramref name="data"/>; <paramref name="scorer"/> classifies the validation split
    /// once BatchNorm is re-calibrated (null: TorchSharp, in <paramref name="batchSize"/> batches).
    /// </summary>
    public SubnetAccuracy(ElasticSupernet network, DatasetSplits data, int batchSize = 250, IValidationScorer? scorer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        _network = network;
        _data = data;
        _batchSize = batchSize;
        _scorer = scorer;
    }

    /// <summary>Top-1 validation accuracy (0..1) of the sub-network <paramref name="genome"/> denotes.</summary>
    public double Evaluate(Genome genome)
    {
        ArgumentNullException.ThrowIfNull(genome);
        // One module holds every sub-network: evaluations must not interleave.
        lock (_gate)
        {
            var wasTraining = _network.training;
            try
            {
                _network.SetActive(genome);
                BatchNormCalibration.Recalibrate(_network, _data.Calibration, _data.Normalization, _batchSize);
                if (_scorer is not null)
                {
                    _network.eval();
                    return _scorer.Top1(_network, genome);
                }

                return Top1(_network, _data.Validation, _data.Normalization, _batchSize);
            }
            finally
            {
                _network.train(wasTraining);
            }
        }
    }

    /// <summary>Eval-mode top-1 accuracy of <paramref name="module"/> on <paramref name="dataset"/>.</summary>
    public static double Top1(nn.Module<Tensor, Tensor> module, ImageDataset dataset, DatasetNormalization normalization, int batchSize = 250)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(dataset);
        module.eval();
        using var noGrad = no_grad();
        long correct = 0;
        foreach (var batch in TensorBatches.Of(dataset, normalization, batchSize))
        {
            using (batch)
            using (NewDisposeScope())
            {
                var predicted = module.forward(batch.Images).argmax(1);
                correct += predicted.eq(batch.Labels).sum().item<long>();
            }
        }

        return dataset.Count == 0 ? 0 : (double)correct / dataset.Count;
    }
}
