using System.Text.Json;
using System.Text.Json.Serialization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Torch.Training;

/// <summary>Metrics of one finished epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss of the largest sub-network (cross-entropy on labels).</param>
/// <param name="DistillationLoss">Mean distillation loss of the other sub-networks.</param>
/// <param name="LargestAccuracy">Top-1 validation accuracy (0..1) of the largest sub-network after BatchNorm re-calibration.</param>
/// <param name="SmallestAccuracy">Top-1 validation accuracy (0..1) of the smallest sub-network after BatchNorm re-calibration.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
/// <param name="Phase">The progressive-shrinking phase the epoch trained in; null for the sandwich rule.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double DistillationLoss,
    double LargestAccuracy,
    double SmallestAccuracy,
    double LearningRate,
    double Seconds,
    ShrinkingPhase? Phase = null);

/// <summary>
/// The JSON sidecar written next to a checkpoint (<c>&lt;checkpoint&gt;.json</c>): what the weights are (family, settings,
/// input, classes), how to feed them (normalisation, class names) and how they were trained (recipe, metrics).
/// </summary>
public sealed record TrainingRecord
{
    /// <summary>Version of this record's layout.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Super-network family.</summary>
    public required string Family { get; init; }

    /// <summary>Family settings as <c>key=value</c> text (recreates the family through the registry).</summary>
    public required string Settings { get; init; }

    /// <summary>Input shape: channels, height, width.</summary>
    public required IReadOnlyList<int> Input { get; init; }

    /// <summary>Number of classes.</summary>
    public required int Classes { get; init; }

    /// <summary>Class names by label.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Per-channel mean the training images were normalised with.</summary>
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Per-channel standard deviation the training images were normalised with.</summary>
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>Key of the training/validation data.</summary>
    public required string DatasetKey { get; init; }

    /// <summary>The training recipe.</summary>
    public required TrainingOptions Recipe { get; init; }

    /// <summary>Epochs finished.</summary>
    public int CompletedEpochs { get; init; }

    /// <summary>The phases of progressive shrinking with their epochs (the recipe names the method); empty for the sandwich rule.</summary>
    public IReadOnlyList<PhaseSpan> Phases { get; init; } = [];

    /// <summary>The progressive-shrinking phase of the last finished epoch, where a resumed run continues; null for the sandwich rule.</summary>
    public ShrinkingPhase? Phase { get; init; }

    /// <summary>Optimiser steps finished.</summary>
    public long CompletedSteps { get; init; }

    /// <summary>SHA-256 of the weights file, hex.</summary>
    public string WeightsSha256 { get; init; } = string.Empty;

    /// <summary>Metrics of each finished epoch.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>Total training time in seconds over all (resumed) runs.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>
    /// Whether the weights include OFA's kernel-transform matrices, so the super-network must be built with them
    /// (<see cref="Elastic.ElasticSupernet.KernelTransforms"/>); true for imported OFA MobileNetV3 networks.
    /// </summary>
    public bool KernelTransforms { get; init; }

    /// <summary>The PyTorch checkpoint the weights were imported from (file name and SHA-256), or null for trained weights.</summary>
    public string? ImportedFrom { get; init; }

    /// <summary>
    /// The checkpoint training started from (file name and SHA-256) when it fine-tuned other weights
    /// (<c>train --from</c>), or null when it started from initialisation.
    /// </summary>
    public string? FineTunedFrom { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The sidecar path of a checkpoint.</summary>
    public static string PathFor(string checkpointPath) => checkpointPath + ".json";

    /// <summary>The record as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the sidecar of <paramref name="checkpointPath"/>; throws <see cref="HwNasException"/> when missing or corrupt.</summary>
    public static TrainingRecord Read(string checkpointPath)
    {
        var path = PathFor(checkpointPath);
        if (!File.Exists(path))
        {
            throw new HwNasException($"The checkpoint's training record {path} is missing: train with `dotnet hwnas train`.", ExitCode.MissingInput);
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(path), Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new HwNasException($"The checkpoint's training record {path} is corrupt: {e.Message}", ExitCode.MissingInput, e);
        }
    }
}
