using System.Globalization;
using HwAwareNas.Core.Networks;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Architecture of OFA's elastic MobileNetV3 (<c>OFAMobileNetV3</c>): a stride-2 first conv, a fixed first MBConv block
/// (expand 1, kernel 3), elastic units of MBConv blocks, a final 1×1 expand, global pooling, a feature-mix 1×1 conv
/// (no BatchNorm, no bias) and the classifier.
/// </summary>
/// <remarks>
/// Presets: <c>imagenet</c> is OFA's w1.0 network exactly. <c>small</c> suits 28×28 grey images: stage widths
/// 8,8,16,24,32,40,48 with final expand 160 and feature mix 256 (at width 1.0), and only three stride-2 layers
/// (first conv, units 1 and 2) so 28×28 ends at 4×4 instead of vanishing; genes and value sets are unchanged.
/// </remarks>
public sealed record MobileNetV3Settings
{
    /// <summary>OFA's base widths: first conv, first block, five units, final expand, feature mix.</summary>
    public static readonly IReadOnlyList<int> ImageNetWidths = [16, 16, 24, 40, 80, 112, 160, 960, 1280];

    /// <summary>OFA's strides: first conv, first block, five units.</summary>
    public static readonly IReadOnlyList<int> ImageNetStrides = [2, 1, 2, 2, 2, 1, 2];

    /// <summary>Base widths of the <c>small</c> preset.</summary>
    public static readonly IReadOnlyList<int> SmallWidths = [8, 8, 16, 24, 32, 40, 48, 160, 256];

    /// <summary>Strides of the <c>small</c> preset.</summary>
    public static readonly IReadOnlyList<int> SmallStrides = [2, 1, 2, 2, 1, 1, 1];

    /// <summary>Activation of each unit (OFA act_stages after the first block, which uses ReLU).</summary>
    public static readonly IReadOnlyList<ActivationKind> UnitActivations =
        [ActivationKind.Relu, ActivationKind.Relu, ActivationKind.HardSwish, ActivationKind.HardSwish, ActivationKind.HardSwish];

    /// <summary>Whether each unit's blocks use squeeze-and-excite (OFA se_stages after the first block).</summary>
    public static readonly IReadOnlyList<bool> UnitSqueezeExcite = [false, true, false, true, true];

    /// <summary>Shape of one input image.</summary>
    public FeatureShape Input { get; init; } = FamilyOptions.ImageNetInput;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = FamilyOptions.ImageNetClasses;

    /// <summary>Width multiplier applied to every base width before <c>make_divisible(·, 8)</c>.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Base widths: first conv, first block, one per unit, final expand, feature mix.</summary>
    public IReadOnlyList<int> BaseWidths { get; init; } = ImageNetWidths;

    /// <summary>Strides: first conv, first block, one per unit (applied to the unit's first block).</summary>
    public IReadOnlyList<int> Strides { get; init; } = ImageNetStrides;

    /// <summary>Elastic kernel sizes, ascending.</summary>
    public IReadOnlyList<int> KernelSizes { get; init; } = [3, 5, 7];

    /// <summary>Elastic expand ratios, ascending.</summary>
    public IReadOnlyList<double> ExpandRatios { get; init; } = [3, 4, 6];

    /// <summary>Elastic unit depths, ascending; the largest is the number of blocks per unit.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [2, 3, 4];

    /// <summary>Number of elastic units.</summary>
    public static int Units => UnitActivations.Count;

    /// <summary>Channel widths after <c>make_divisible(base × multiplier, 8)</c>.</summary>
    public IReadOnlyList<int> Widths => [.. BaseWidths.Select(w => ChannelRounding.MakeDivisible(w * WidthMultiplier))];

    /// <summary>Reads settings (<c>preset</c>, <c>width</c>, <c>widths</c>, <c>strides</c>, <c>ks</c>, <c>e</c>, <c>d</c>) for the given input.</summary>
    public static MobileNetV3Settings Read(FamilyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = options.ResolvedInput;
        FamilyOptions.RequireValidInput(input);
        var reader = new FamilySettingsReader(MobileNetV3Family.Name, options.Settings);
        var small = FamilyOptions.ResolvePreset(reader, input) == "small";
        var settings = new MobileNetV3Settings
        {
            Input = input,
            Classes = options.ResolvedClasses,
            WidthMultiplier = reader.Number("width", 1.0),
            BaseWidths = reader.Integers("widths", small ? SmallWidths : ImageNetWidths, ImageNetWidths.Count),
            Strides = reader.Integers("strides", small ? SmallStrides : ImageNetStrides, ImageNetStrides.Count),
            KernelSizes = reader.Ascending("ks", reader.Integers("ks", [3, 5, 7])),
            ExpandRatios = reader.Ascending("e", reader.Numbers("e", [3, 4, 6])),
            Depths = reader.Ascending("d", reader.Integers("d", [2, 3, 4])),
        };
        reader.ThrowIfInvalid();
        if (settings.KernelSizes.Any(k => k % 2 == 0))
        {
            throw new FamilySettingsException(
                "Invalid mobilenetv3 setting ks: kernel sizes must be odd.", "ks", "mobilenetv3 setting 'ks' has an even kernel size", "odd kernel sizes");
        }

        return settings;
    }

    /// <summary>The settings as text that <see cref="Read"/> turns back into these settings.</summary>
    public string ToText() => string.Join(
        ',',
        "width=" + WidthMultiplier.ToString("R", CultureInfo.InvariantCulture),
        "widths=" + FamilySettingsReader.FormatList(BaseWidths),
        "strides=" + FamilySettingsReader.FormatList(Strides),
        "ks=" + FamilySettingsReader.FormatList(KernelSizes),
        "e=" + FamilySettingsReader.FormatList(ExpandRatios),
        "d=" + FamilySettingsReader.FormatList(Depths));
}
