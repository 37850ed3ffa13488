using System.ComponentModel.DataAnnotations;
using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Onnx;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Evaluation;
using HwAwareNas.Torch.Training;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas export</c>: writes one sub-network of a trained super-network as an ONNX model (BatchNorm folded,
/// dynamic batch, metadata for family, settings, genome and preprocessing). The family, settings and normalisation
/// come from the checkpoint's training record; with <c>--config</c> the sub-network's BatchNorm statistics are first
/// re-calibrated on that configuration's training images, as accuracy evaluation does.
/// </summary>
[Command("export", Description = "Export one sub-network of a trained super-network to ONNX.")]
internal sealed class ExportCommand
{
    /// <summary>The super-network checkpoint (its <c>.json</c> training record must sit beside it).</summary>
    [Required]
    [Option("--checkpoint", Description = "Super-network checkpoint written by training (with its .json record).")]
    public string Checkpoint { get; set; } = string.Empty;

    /// <summary>The genome: OFA-notation JSON, largest, smallest, random or random:SEED.</summary>
    [Required]
    [Option("--genome", Description = "OFA-notation JSON, largest, smallest, random or random:SEED.")]
    public string Genome { get; set; } = string.Empty;

    /// <summary>Where to write the model.</summary>
    [Required]
    [Option("-o|--output", Description = "The .onnx file to write (replaced atomically).")]
    public string Output { get; set; } = string.Empty;

    /// <summary>An hwnas.yaml whose dataset re-calibrates BatchNorm statistics for the sub-network.</summary>
    [Option("--config", Description = "hwnas.yaml whose dataset re-calibrates BatchNorm for the sub-network (recommended).")]
    public string? Config { get; set; }

    /// <summary>Extra metadata entries written into the model.</summary>
    [Option("--metadata", Description = "Extra metadata key=value (repeatable).")]
    public string[] Metadata { get; set; } = [];

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public int OnExecute(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var extras = ParseMetadata(Metadata);
        var record = TrainingRecord.Read(Checkpoint);
        if (record.Input is not { Count: 3 })
        {
            throw new HwNasException($"The training record of {Checkpoint} has no [C,H,W] input shape.", ExitCode.MissingInput);
        }

        var input = new FeatureShape(record.Input[0], record.Input[1], record.Input[2]);
        var family = FamilyRegistry.Create(
            record.Family, new FamilyOptions(input, record.Classes, FamilySettingsReader.Split(record.Settings)));
        var genome = family.ParseGenome(Genome);

        using var supernet = new ElasticSupernet(family, record.KernelTransforms);
        SupernetCheckpoint.LoadWeights(Checkpoint, supernet);
        console.Out.WriteLine(NumericSelfCheck.WithOnnxRuntime(cache: null).Run(supernet, SupernetCheckpoint.HashOf(Checkpoint)).Summary);
        supernet.SetActive(genome);
        if (Config is null)
        {
            supernet.eval();
            console.Error.WriteLine("hwnas: warning: no --config given; exporting the checkpoint's shared BatchNorm statistics without re-calibration.");
        }
        else
        {
            Recalibrate(supernet, family, record);
        }

        var graph = supernet.ExtractActive();
        var preprocessing = new OnnxPreprocessing(1.0 / 255, record.Mean, record.Std, record.ClassNames);
        OnnxExporter.Export(graph, OnnxExportOptions.ForFamily(family, genome, preprocessing, extras), Output);
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote {Output}: {family.Family} {family.ToOfaNotation(genome)}, {OnnxExporter.CountFoldedParameters(graph)} parameters after BatchNorm folding."));
        return (int)ExitCode.Success;
    }

    private static Dictionary<string, string> ParseMetadata(IEnumerable<string> pairs)
    {
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !extras.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..]))
            {
                throw new HwNasException($"Invalid --metadata '{pair}': expected a new key=value.", ExitCode.BadConfig);
            }
        }

        return extras;
    }

    private void Recalibrate(ElasticSupernet supernet, IElasticFamily family, TrainingRecord record)
    {
        var config = HwNasConfigLoader.Load(Config!);
        var dataset = config.Dataset;
        var source = new DatasetSource(dataset.Format, dataset.Train, dataset.TrainLabels, dataset.Val, dataset.ValLabels);
        var splits = DatasetSplits.Load(
            source, family.Input, family.Classes, dataset.CalibrationImages, validationImages: 1, record.Mean, record.Std, config.Search.Seed);
        BatchNormCalibration.Recalibrate(supernet, splits.Calibration, splits.Normalization);
    }
}
