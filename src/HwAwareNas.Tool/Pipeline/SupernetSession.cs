using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Onnx;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Evaluation;
using HwAwareNas.Torch.Training;
using SupernetCheckpoint = HwAwareNas.Torch.Training.SupernetCheckpoint;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The trained super-network of a configuration, loaded with its data: family, weights, splits and the
/// preprocessing exported models carry. The data is read when first asked for, so latency-only work (<c>profile</c>)
/// runs without the dataset, e.g. on a full-size ImageNet network whose images are not on the machine.
/// </summary>
internal sealed class SupernetSession : IDisposable
{
    private readonly Lazy<DatasetSplits> _data;

    private SupernetSession(
        IElasticFamily family, ElasticSupernet network, Lazy<DatasetSplits> data, OnnxPreprocessing preprocessing, string checkpointHash, NumericCheckOutcome numericCheck)
    {
        NumericCheck = numericCheck;
        Family = family;
        Network = network;
        _data = data;
        Preprocessing = preprocessing;
        CheckpointHash = checkpointHash;
    }

    /// <summary>The elastic family (the search space).</summary>
    public IElasticFamily Family { get; }

    /// <summary>The super-network with the checkpoint's weights.</summary>
    public ElasticSupernet Network { get; }

    /// <summary>Calibration and validation data, read on first use.</summary>
    public DatasetSplits Data => _data.Value;

    /// <summary>The input preprocessing the network was trained with.</summary>
    public OnnxPreprocessing Preprocessing { get; }

    /// <summary>The numeric self-check this machine passed before the session trusted TorchSharp.</summary>
    public NumericCheckOutcome NumericCheck { get; }

    /// <summary>Hash of the checkpoint file (keys cached accuracies and studies).</summary>
    public string CheckpointHash { get; }

    /// <summary>
    /// The accuracy measure searches use: BatchNorm re-calibrated with TorchSharp, the validation split scored on the
    /// exported ONNX model with ONNX Runtime (on every core, or on <paramref name="threads"/>).
    /// </summary>
    public SubnetAccuracy Accuracy(int? threads = null) =>
        new(Network, Data, scorer: new OrtValidationScorer(Family, Preprocessing, Data.Validation, Data.Normalization, threads));

    /// <summary>Throws <see cref="ExitCode.MissingInput"/> unless the checkpoint and its training record exist.</summary>
    public static void RequireCheckpoint(HwNasConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var checkpoint = config.Supernet.Checkpoint;
        foreach (var path in new[] { checkpoint, TrainingRecord.PathFor(checkpoint) })
        {
            if (!File.Exists(path))
            {
                throw new HwNasException(
                    $"supernet.checkpoint: '{path}' does not exist; train the super-network first (dotnet hwnas train).", ExitCode.MissingInput);
            }
        }
    }

    /// <summary>
    /// Loads the configuration's family, checkpoint and data, then runs the numeric self-check (a pass cached in
    /// <paramref name="store"/> when given); throws <see cref="ExitCode.NumericMismatch"/> when TorchSharp is wrong here.
    /// </summary>
    public static SupernetSession Load(HwNasConfig config, ResultsStore? store)
    {
        RequireCheckpoint(config);
        var supernet = config.Supernet;
        var dataset = config.Dataset;
        return Open(
            supernet.CreateFamily(),
            supernet.Checkpoint,
            new DatasetSource(dataset.Format, dataset.Train, dataset.TrainLabels, dataset.Val, dataset.ValLabels),
            dataset.CalibrationImages,
            dataset.ValidationImages,
            config.Search.Seed,
            store);
    }

    /// <summary>
    /// Loads <paramref name="family"/>'s weights from <paramref name="checkpoint"/> (its training record beside it) and,
    /// on first use, the data of <paramref name="source"/>, then runs the numeric self-check (a pass cached in
    /// <paramref name="store"/> when given): what <see cref="Load"/> does from a configuration, and a validator from the
    /// files a caller sent.
    /// </summary>
    public static SupernetSession Open(
        IElasticFamily family, string checkpoint, DatasetSource source, int calibrationImages, int validationImages, int seed, ResultsStore? store)
    {
        ArgumentNullException.ThrowIfNull(family);
        var record = TrainingRecord.Read(checkpoint);

        // Evaluate with the normalisation the network was trained with, whatever the yaml says now.
        var data = new Lazy<DatasetSplits>(() => DatasetSplits.Load(
            source, family.Input, family.Classes, calibrationImages, validationImages, record.Mean, record.Std, seed));
        var network = new ElasticSupernet(family, record.KernelTransforms);
        var checkpointHash = SupernetCheckpoint.HashOf(checkpoint);
        NumericCheckOutcome numericCheck;
        try
        {
            SupernetCheckpoint.LoadWeights(checkpoint, network);
            numericCheck = NumericSelfCheck.WithOnnxRuntime(store).Run(network, checkpointHash);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        var preprocessing = new OnnxPreprocessing(1.0 / 255, record.Mean, record.Std, record.ClassNames);
        return new SupernetSession(family, network, data, preprocessing, checkpointHash, numericCheck);
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
