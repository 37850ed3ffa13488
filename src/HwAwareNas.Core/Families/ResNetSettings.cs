using System.Globalization;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Architecture of OFA's elastic ResNet50 (<c>OFAResNets</c>): a three-conv stem (the middle one residual and
/// skippable), 3×3 max pooling, four stages of bottleneck blocks with <c>avgpool_conv</c> downsampling, global pooling
/// and a linear classifier.
/// </summary>
/// <remarks>
/// Presets: <c>imagenet</c> is OFA's ResNet50 space exactly. <c>small</c> suits 28×28 grey images: stem width 32 and
/// stage widths 48,64,96,128 (before width multipliers), and only one stride-2 stage (stage 2) after the stride-2 stem
/// and max pool, so 28×28 ends at 4×4; block counts, genes and value sets are unchanged.
/// </remarks>
public sealed record ResNetSettings
{
    /// <summary>OFA's stage widths (<c>ResNets.STAGE_WIDTH_LIST</c>).</summary>
    public static readonly IReadOnlyList<int> ImageNetStageWidths = [256, 512, 1024, 2048];

    /// <summary>OFA's stage strides.</summary>
    public static readonly IReadOnlyList<int> ImageNetStageStrides = [1, 2, 2, 2];

    /// <summary>Stage widths of the <c>small</c> preset.</summary>
    public static readonly IReadOnlyList<int> SmallStageWidths = [48, 64, 96, 128];

    /// <summary>Stage strides of the <c>small</c> preset.</summary>
    public static readonly IReadOnlyList<int> SmallStageStrides = [1, 2, 1, 1];

    /// <summary>Shape of one input image.</summary>
    public FeatureShape Input { get; init; } = FamilyOptions.ImageNetInput;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = FamilyOptions.ImageNetClasses;

    /// <summary>Base width of the stem's output (64 in OFA); the stem's inner convs use half of it.</summary>
    public int StemWidth { get; init; } = 64;

    /// <summary>Stride of the stem's first conv.</summary>
    public int StemStride { get; init; } = 2;

    /// <summary>Base width of each stage's blocks.</summary>
    public IReadOnlyList<int> StageWidths { get; init; } = ImageNetStageWidths;

    /// <summary>Stride of each stage's first block.</summary>
    public IReadOnlyList<int> StageStrides { get; init; } = ImageNetStageStrides;

    /// <summary>Blocks per stage at depth choice 0 (OFA <c>ResNets.BASE_DEPTH_LIST</c>).</summary>
    public IReadOnlyList<int> BaseDepths { get; init; } = [2, 2, 4, 2];

    /// <summary>Elastic extra depths, ascending (the stem's residual conv runs only at the largest).</summary>
    public IReadOnlyList<int> Depths { get; init; } = [0, 1, 2];

    /// <summary>Elastic bottleneck expand ratios, ascending.</summary>
    public IReadOnlyList<double> ExpandRatios { get; init; } = [0.2, 0.25, 0.35];

    /// <summary>Elastic width multipliers, ascending; genes hold indices into this list.</summary>
    public IReadOnlyList<double> WidthMultipliers { get; init; } = [0.65, 0.8, 1.0];

    /// <summary>Stem output channels per width multiplier.</summary>
    public IReadOnlyList<int> StemOutChannels =>
        [.. WidthMultipliers.Select(w => ChannelRounding.MakeDivisible(StemWidth * w))];

    /// <summary>Stem inner channels per width multiplier: <c>make_divisible(out // 2, 8)</c>.</summary>
    public IReadOnlyList<int> StemMiddleChannels =>
        [.. StemOutChannels.Select(c => ChannelRounding.MakeDivisible(c / 2))];

    /// <summary>Block output channels per stage and width multiplier.</summary>
    public IReadOnlyList<IReadOnlyList<int>> StageChannels =>
        [.. StageWidths.Select(s => (IReadOnlyList<int>)[.. WidthMultipliers.Select(w => ChannelRounding.MakeDivisible(s * w))])];

    /// <summary>
    /// Reads settings (<c>preset</c>, <c>stem</c>, <c>stem-stride</c>, <c>widths</c>, <c>strides</c>, <c>base-depths</c>,
    /// <c>d</c>, <c>e</c>, <c>w</c>) for the given input.
    /// </summary>
    public static ResNetSettings Read(FamilyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = options.ResolvedInput;
        FamilyOptions.RequireValidInput(input);
        var reader = new FamilySettingsReader(ResNetFamily.Name, options.Settings);
        var small = FamilyOptions.ResolvePreset(reader, input) == "small";
        var stageWidths = reader.Integers("widths", small ? SmallStageWidths : ImageNetStageWidths);
        var settings = new ResNetSettings
        {
            Input = input,
            Classes = options.ResolvedClasses,
            StemWidth = reader.Integers("stem", [small ? 32 : 64], 1)[0],
            StemStride = reader.Integers("stem-stride", [2], 1)[0],
            StageWidths = stageWidths,
            StageStrides = reader.Integers("strides", small ? SmallStageStrides : ImageNetStageStrides, stageWidths.Count),
            BaseDepths = reader.Integers("base-depths", [2, 2, 4, 2], stageWidths.Count, minimum: 1),
            Depths = reader.Ascending("d", reader.Integers("d", [0, 1, 2], minimum: 0)),
            ExpandRatios = reader.Ascending("e", reader.Numbers("e", [0.2, 0.25, 0.35])),
            WidthMultipliers = reader.Ascending("w", reader.Numbers("w", [0.65, 0.8, 1.0])),
        };
        reader.ThrowIfInvalid();
        if (settings.StageWidths.Count == 0)
        {
            throw new FamilySettingsException(
                "Invalid resnet setting widths: at least one stage is needed.", "widths", "resnet setting 'widths' is empty", "one width per stage");
        }

        // OFA picks an identity shortcut for the first block when these channel lists are equal, which breaks as soon
        // as the stem and the first stage choose different width indices.
        if (settings.StageStrides[0] == 1 && settings.StemOutChannels.SequenceEqual(settings.StageChannels[0]))
        {
            var channels = FamilySettingsReader.FormatList(settings.StemOutChannels);
            throw new FamilySettingsException(
                $"Invalid resnet settings: the stem and the first stage have the same channel choices ({channels}), so the "
                + "first block's identity shortcut would not fit differing width choices; change stem or widths.",
                [new FamilySettingProblem(
                    ["stem", "widths"],
                    $"resnet settings 'stem' and 'widths' give the stem and the first stage the same channel choices ({channels})",
                    "a stem width whose channel choices differ from the first stage's")]);
        }

        return settings;
    }

    /// <summary>The settings as text that <see cref="Read"/> turns back into these settings.</summary>
    public string ToText() => string.Join(
        ',',
        "stem=" + StemWidth.ToString(CultureInfo.InvariantCulture),
        "stem-stride=" + StemStride.ToString(CultureInfo.InvariantCulture),
        "widths=" + FamilySettingsReader.FormatList(StageWidths),
        "strides=" + FamilySettingsReader.FormatList(StageStrides),
        "base-depths=" + FamilySettingsReader.FormatList(BaseDepths),
        "d=" + FamilySettingsReader.FormatList(Depths),
        "e=" + FamilySettingsReader.FormatList(ExpandRatios),
        "w=" + FamilySettingsReader.FormatList(WidthMultipliers));
}
