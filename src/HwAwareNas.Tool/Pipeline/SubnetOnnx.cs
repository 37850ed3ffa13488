using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Onnx;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Evaluation;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Turns a genome of the loaded super-network into ONNX bytes. <paramref name="data"/> is asked for only when BatchNorm
/// is re-calibrated, so latency measurement never reads the dataset.
/// </summary>
internal sealed class SubnetOnnx(IElasticFamily family, ElasticSupernet supernet, Func<DatasetSplits> data, OnnxPreprocessing preprocessing)
{
    // One super-network serves every export: the devices of a multi-device run ask for models concurrently.
    private readonly Lock _gate = new();

    /// <summary>The family of the super-network.</summary>
    public IElasticFamily Family { get; } = family;

    /// <summary>
    /// The ONNX model of <paramref name="genome"/>. With <paramref name="recalibrate"/> its BatchNorm statistics are
    /// re-calibrated first (for a model to ship); latency does not depend on them, so measurement skips that.
    /// </summary>
    public byte[] Export(Genome genome, bool recalibrate, IReadOnlyDictionary<string, string>? metadata = null)
    {
        lock (_gate)
        {
            supernet.SetActive(genome);
            if (recalibrate)
            {
                var splits = data();
                BatchNormCalibration.Recalibrate(supernet, splits.Calibration, splits.Normalization);
            }

            return ExportActive(supernet, Family, genome, preprocessing, metadata);
        }
    }

    /// <summary>The ONNX model of <paramref name="network"/>'s active sub-network, <paramref name="genome"/>, with BatchNorm as it stands.</summary>
    public static byte[] ExportActive(
        ElasticSupernet network, IElasticFamily family, Genome genome, OnnxPreprocessing preprocessing, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.eval();
        return OnnxExporter.ToBytes(network.ExtractActive(), OnnxExportOptions.ForFamily(family, genome, preprocessing, metadata));
    }
}
