using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Onnx;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Evaluation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Scores a re-calibrated sub-network by running its exported ONNX model over the validation split with ONNX Runtime
/// on every core (or <c>threads</c>, a validator's --threads): the search's accuracy is then that of the graph it ships, and on a CPU it comes about twice as fast as
/// the TorchSharp forward pass of the elastic module. The normalised validation batches are built once.
/// </summary>
internal sealed class OrtValidationScorer(
    IElasticFamily family, OnnxPreprocessing preprocessing, ImageDataset validation, DatasetNormalization normalization, int? threads = null)
    : IValidationScorer
{
    private const int BatchSize = 500;

    private List<(DenseTensor<float> Images, long[] Labels)>? _batches;

    /// <inheritdoc />
    public double Top1(ElasticSupernet network, Genome genome)
    {
        if (validation.Count == 0)
        {
            return 0;
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads ?? Environment.ProcessorCount,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(SubnetOnnx.ExportActive(network, family, genome, preprocessing), options);
        var input = session.InputMetadata.Keys.First();
        long correct = 0;
        foreach (var (images, labels) in _batches ??= Batches())
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, images)]);
            var logits = results[0].AsTensor<float>();
            var classes = (int)logits.Dimensions[1];
            for (var i = 0; i < labels.Length; i++)
            {
                var best = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (logits[i, c] > logits[i, best])
                    {
                        best = c;
                    }
                }

                correct += best == labels[i] ? 1 : 0;
            }
        }

        return (double)correct / validation.Count;
    }

    private List<(DenseTensor<float> Images, long[] Labels)> Batches()
    {
        var shape = validation.Shape;
        var batches = new List<(DenseTensor<float>, long[])>();
        for (var start = 0; start < validation.Count; start += BatchSize)
        {
            var indices = Enumerable.Range(start, Math.Min(BatchSize, validation.Count - start)).ToArray();
            var (values, labels) = TensorBatches.Normalize(validation, normalization, indices);
            batches.Add((new DenseTensor<float>(values, [indices.Length, shape.Channels, shape.Height, shape.Width]), labels));
        }

        return batches;
    }
}
