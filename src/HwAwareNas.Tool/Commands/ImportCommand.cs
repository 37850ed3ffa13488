using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Import;
using HwAwareNas.Torch.Training;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas import</c>: converts a PyTorch super-network checkpoint in once-for-all's layout (OFA's published
/// MobileNetV3 w1.0/w1.2 and ResNet50 networks, or one's own OFA-style training) into an hwnas checkpoint plus training
/// record, once, so every later stage (optimize, export, profile) reads it like a network trained here. <c>--from random:SEED</c>
/// writes a super-network of seeded random weights instead: latency does not depend on the weights, so a full-size
/// network can be profiled without training or downloading one.
/// </summary>
[Command("import", Description = "Convert an OFA-style PyTorch checkpoint (.pth/.pt) into an hwnas super-network checkpoint.")]
internal sealed class ImportCommand
{
    private static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    private static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    // The classifier weight in OFA's MobileNetV3 (a static layer) and ResNet (a dynamic one).
    private static readonly string[] ClassifierKeys = ["classifier.linear.weight", "classifier.linear.linear.weight"];

    /// <summary>The PyTorch checkpoint.</summary>
    [Option("--from <PATH>", Description = "PyTorch checkpoint: torch.save of {'state_dict': ...} (OFA) or of the state dict; random:SEED for random weights (latency only).")]
    public string From { get; init; } = string.Empty;

    /// <summary>The family.</summary>
    [Option("--family <NAME>", Description = "Super-network family: mobilenetv3 or resnet.")]
    public string Family { get; init; } = string.Empty;

    /// <summary>Family settings.</summary>
    [Option("--settings <TEXT>", Description = "Family settings as key=value pairs separated by commas, lists by '/' (e.g. width=1.2).")]
    public string? Settings { get; init; }

    /// <summary>Input shape.</summary>
    [Option("--input <C,H,W>", Description = "Input shape C,H,W or CxHxW (default 3,224,224).")]
    public string? Input { get; init; }

    /// <summary>Classes.</summary>
    [Option("--classes <N>", Description = "Number of classes (default: the checkpoint's classifier rows).")]
    public int? Classes { get; init; }

    /// <summary>Normalisation mean.</summary>
    [Option("--mean <M>", Description = "Per-channel mean the network was trained with, comma-separated (default ImageNet's).")]
    public string? Mean { get; init; }

    /// <summary>Normalisation standard deviation.</summary>
    [Option("--std <S>", Description = "Per-channel standard deviation, comma-separated (default ImageNet's).")]
    public string? Std { get; init; }

    /// <summary>Class names file.</summary>
    [Option("--class-names <PATH>", Description = "Text file with one class name per line (default: the class indices).")]
    public string? ClassNames { get; init; }

    /// <summary>Where to write.</summary>
    [Option("-o|--output <PATH>", Description = "The hwnas checkpoint to write (its .json record is written beside it).")]
    public string Output { get; init; } = string.Empty;

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public int OnExecute(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (From.Length == 0 || Family.Length == 0 || Output.Length == 0)
        {
            throw new HwNasException("hwnas import needs --from, --family and -o.", ExitCode.BadConfig);
        }

        var input = FamilyArguments.ParseInput(Input) ?? FamilyOptions.ImageNetInput;
        var randomSeed = RandomSeed();
        var stateDict = randomSeed is null ? OfaStateDict.Read(From) : null;
        var classes = Classes ?? (stateDict is null ? FamilyOptions.ImageNetClasses : ClassifierRows(stateDict));
        var family = FamilyRegistry.Create(Family, new FamilyOptions(input, classes, FamilySettingsReader.Split(Settings)));
        var mean = Mean is null ? ImageNetMean : ParseNumbers("--mean", Mean);
        var std = Std is null ? ImageNetStd : ParseNumbers("--std", Std);
        if (mean.Length != input.Channels || std.Length != input.Channels || std.Any(s => s <= 0))
        {
            throw new HwNasException(
                $"--mean and --std need {input.Channels} values (one per input channel), standard deviations positive.", ExitCode.BadConfig);
        }

        var names = ReadClassNames(classes);

        // OFA trains its elastic depthwise kernels with transform matrices; a checkpoint without them used centre crops.
        // Random weights use the crop: the transform only changes kernel values, which latency does not see.
        var kernelTransforms = stateDict?.Keys.Any(k => k.EndsWith("_matrix", StringComparison.Ordinal)) ?? false;
        using var supernet = randomSeed is { } seed ? SupernetTrainer.CreateNetwork(family, seed) : new ElasticSupernet(family, kernelTransforms);
        var weightsKey = stateDict is null ? From : SupernetCheckpoint.HashOf(From);
        if (stateDict is not null)
        {
            OfaStateDict.LoadInto(supernet, stateDict, From);
        }

        console.Out.WriteLine(NumericSelfCheck.WithOnnxRuntime(cache: null).Run(supernet, weightsKey).Summary);

        var record = new TrainingRecord
        {
            Family = family.Family,
            Settings = family.SettingsText,
            Input = [input.Channels, input.Height, input.Width],
            Classes = classes,
            ClassNames = names,
            Mean = mean,
            Std = std,
            DatasetKey = "imported",
            Recipe = new TrainingOptions { Epochs = 0 },
            KernelTransforms = kernelTransforms,
            ImportedFrom = stateDict is null
                ? string.Create(CultureInfo.InvariantCulture, $"random weights, seed {randomSeed}")
                : $"{Path.GetFileName(From)} sha256:{weightsKey}",
        };
        SupernetCheckpoint.WriteWithoutResume(Output, supernet, record);
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Imported {From} as {family.Family} ({family.SettingsText}), input {input}, {classes} classes"
            + $"{(kernelTransforms ? ", with kernel transforms" : string.Empty)}{(stateDict is null ? ", random weights: for latency, not accuracy" : string.Empty)}"
            + $": wrote {Output} and {TrainingRecord.PathFor(Output)}."));
        return (int)ExitCode.Success;
    }

    // The seed of --from random:SEED, or null for a checkpoint file.
    private int? RandomSeed()
    {
        const string prefix = "random:";
        if (!From.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return int.TryParse(From.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new HwNasException($"Invalid --from '{From}': random weights are random:SEED with a whole-number seed, e.g. random:1.", ExitCode.BadConfig);
    }

    private static int ClassifierRows(Dictionary<string, TorchSharp.torch.Tensor> stateDict)
    {
        foreach (var key in ClassifierKeys)
        {
            if (stateDict.TryGetValue(key, out var weight) && weight.shape.Length == 2)
            {
                return (int)weight.shape[0];
            }
        }

        return FamilyOptions.ImageNetClasses;
    }

    private static double[] ParseNumbers(string option, string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new HwNasException($"Invalid {option} '{text}': expected comma-separated numbers.", ExitCode.BadConfig);
            }

            values.Add(value);
        }

        return [.. values];
    }

    private string[] ReadClassNames(int classes)
    {
        if (ClassNames is null)
        {
            return [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        }

        if (!File.Exists(ClassNames))
        {
            throw new HwNasException($"--class-names: {ClassNames} not found.", ExitCode.MissingInput);
        }

        var names = File.ReadAllLines(ClassNames).Where(line => line.Length > 0).ToArray();
        if (names.Length != classes)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"--class-names: {ClassNames} names {names.Length} classes, the network has {classes}."),
                ExitCode.BadConfig);
        }

        return names;
    }
}
