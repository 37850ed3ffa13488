using System.Globalization;
using System.Text;
using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Cluster.Contracts;

/// <summary>One input file of a validation, addressed by content.</summary>
/// <param name="Role">What the file is: one of <see cref="ValidationInputRoles"/>.</param>
/// <param name="FileName">The file's name on the caller (kept, since readers tell formats by it, e.g. <c>.gz</c>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its bytes.</param>
/// <param name="Length">Its size in bytes.</param>
[GenerateSerializer, Immutable]
public sealed record ValidationInput(
    [property: Id(0)] string Role,
    [property: Id(1)] string FileName,
    [property: Id(2)] string Sha256,
    [property: Id(3)] long Length);

/// <summary>The roles of <see cref="ValidationInput"/> files.</summary>
public static class ValidationInputRoles
{
    /// <summary>The super-network's weights.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>The checkpoint's training record (normalisation, kernel transforms, weights hash).</summary>
    public const string Record = "record";

    /// <summary>Training images (the calibration split is drawn from them).</summary>
    public const string Train = "train";

    /// <summary>Training labels.</summary>
    public const string TrainLabels = "train_labels";

    /// <summary>Validation images.</summary>
    public const string Validation = "val";

    /// <summary>Validation labels.</summary>
    public const string ValidationLabels = "val_labels";
}

/// <summary>
/// Everything a validator needs to compute exactly what the caller computes: the super-network (family, settings,
/// input, classes), the dataset's format and split sizes, the seed of the calibration sample, and the input files by
/// content hash (the normalisation comes from the training record among them).
/// </summary>
/// <param name="Family">Super-network family, e.g. <c>mobilenetv3</c>.</param>
/// <param name="Settings">The family's settings text (<c>key=value</c> pairs).</param>
/// <param name="Input">Input shape of one image.</param>
/// <param name="Classes">Output classes.</param>
/// <param name="DatasetFormat">The dataset's storage format.</param>
/// <param name="CalibrationImages">Training images BatchNorm is re-calibrated on.</param>
/// <param name="ValidationImages">Validation images top-1 is measured on.</param>
/// <param name="Seed">Seed of the calibration sample.</param>
/// <param name="Inputs">The input files.</param>
/// <param name="Shared">A folder the validator may find the inputs in by SHA-256, or null.</param>
[GenerateSerializer, Immutable]
public sealed record ValidationSetup(
    [property: Id(0)] string Family,
    [property: Id(1)] string Settings,
    [property: Id(2)] InputShape Input,
    [property: Id(3)] int Classes,
    [property: Id(4)] DatasetFormat DatasetFormat,
    [property: Id(5)] int CalibrationImages,
    [property: Id(6)] int ValidationImages,
    [property: Id(7)] int Seed,
    [property: Id(8)] ValidationInput[] Inputs,
    [property: Id(9)] string? Shared)
{
    /// <summary>A short hash of everything that decides an accuracy: validators keep one loaded super-network per key.</summary>
    public string Key
    {
        get
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Family}|{Settings}|{Input}|{Classes}|{DatasetFormat}|{CalibrationImages}|{ValidationImages}|{Seed}");
            foreach (var input in Inputs.OrderBy(i => i.Role, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"|{input.Role}:{input.FileName}:{input.Sha256}:{input.Length}");
            }

            return Core.Results.StableHash.OfText(text.ToString());
        }
    }
}

/// <summary>One remote validation: the accuracy of one sub-network under a setup.</summary>
/// <param name="Setup">What to load and how to evaluate.</param>
/// <param name="GenomeKey">The canonical genome's key (checked against the choices).</param>
/// <param name="Choices">The canonical genome's choices.</param>
/// <param name="JobId">The caller's id of this call: a job asked again is answered from the validator's memory.</param>
[GenerateSerializer, Immutable]
public sealed record ValidationJob(
    [property: Id(0)] ValidationSetup Setup,
    [property: Id(1)] string GenomeKey,
    [property: Id(2)] int[] Choices,
    [property: Id(3)] string JobId);

/// <summary>A validator's answer to a <see cref="ValidationJob"/> or to a question about its inputs.</summary>
/// <param name="Accuracy">Top-1 accuracy (0..1), when validated.</param>
/// <param name="MissingInputs">Hashes of inputs the validator does not hold: upload them and ask again.</param>
/// <param name="Refusal">Why the validator will not validate this setup (an input whose copy hashes differently), or null.</param>
[GenerateSerializer, Immutable]
public sealed record ValidationReply(
    [property: Id(0)] double? Accuracy,
    [property: Id(1)] string[] MissingInputs,
    [property: Id(2)] string? Refusal);

/// <summary>A validator's answer to one chunk of an input upload.</summary>
/// <param name="Received">Bytes of the input the validator holds now (the offset of the next chunk; the length once complete).</param>
/// <param name="Refusal">Why the input was refused (its bytes hash to another SHA-256, or it is longer than announced), or null.</param>
[GenerateSerializer, Immutable]
public sealed record ChunkReply([property: Id(0)] long Received, [property: Id(1)] string? Refusal);

/// <summary>What a validator says about itself.</summary>
/// <param name="ValidatorId">Its id (its --id).</param>
/// <param name="Threads">Threads it validates with (its --threads).</param>
/// <param name="CpuModel">Its CPU.</param>
/// <param name="LogicalCores">Cores the machine has.</param>
[GenerateSerializer, Immutable]
public sealed record ValidatorDescription(
    [property: Id(0)] string ValidatorId,
    [property: Id(1)] int Threads,
    [property: Id(2)] string CpuModel,
    [property: Id(3)] int LogicalCores);
