using System.Globalization;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Architecture of the elastic Transformer encoder for image classification (ViT with AutoFormer's elastic dimensions):
/// a patch embedding (a convolution with kernel and stride <see cref="Patch"/>), an optional class token, a learned
/// position embedding, pre-norm blocks of multi-head self-attention and an MLP (GELU), a final LayerNorm, class-token or
/// mean pooling and a linear classifier.
/// </summary>
/// <remarks>
/// Elastic: the number of blocks (<c>d</c>), the embedding width shared by every block (<c>w</c>), the heads of each
/// block (<c>h</c>; every head is <see cref="HeadWidth"/> wide) and the MLP ratio of each block (<c>r</c>; the hidden
/// width is round(r·w)). Presets: <c>imagenet</c> is AutoFormer-T's space (16×16 patches, w 192/216/240, d 12–14,
/// h 3/4 of width 64, r 3.5/4, class token); <c>small</c> suits 28×28 grey images on a CPU: 7×7 patches (16 tokens),
/// w 32/48/64, d 2–4, h 2/3/4 of width 16, r 2/3/4, mean pooling.
/// </remarks>
public sealed record TransformerSettings
{
    /// <summary>Shape of one input image.</summary>
    public FeatureShape Input { get; init; } = FamilyOptions.ImageNetInput;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = FamilyOptions.ImageNetClasses;

    /// <summary>Side of the square, non-overlapping patches that become tokens.</summary>
    public int Patch { get; init; } = 16;

    /// <summary>Elastic embedding widths, ascending.</summary>
    public IReadOnlyList<int> Widths { get; init; } = [192, 216, 240];

    /// <summary>Elastic numbers of blocks, ascending.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [12, 13, 14];

    /// <summary>Elastic numbers of attention heads per block, ascending.</summary>
    public IReadOnlyList<int> Heads { get; init; } = [3, 4];

    /// <summary>Width of one attention head (fixed, as in AutoFormer, so heads scale the attention width).</summary>
    public int HeadWidth { get; init; } = 64;

    /// <summary>Elastic MLP ratios (hidden width ÷ embedding width) per block, ascending.</summary>
    public IReadOnlyList<double> MlpRatios { get; init; } = [3.5, 4.0];

    /// <summary>Whether a class token is prepended and pooled (ViT); otherwise the tokens are averaged.</summary>
    public bool ClassToken { get; init; } = true;

    /// <summary>Tokens per image, the class token included.</summary>
    public int Tokens => ((Input.Height / Patch) * (Input.Width / Patch)) + (ClassToken ? 1 : 0);

    /// <summary>Hidden width of an MLP for embedding width <paramref name="width"/> and ratio <paramref name="ratio"/>: round(ratio·width), halves to even.</summary>
    public static int MlpWidth(int width, double ratio) => (int)Math.Round(width * ratio, MidpointRounding.ToEven);

    /// <summary>
    /// Reads settings (<c>preset</c>, <c>patch</c>, <c>w</c>, <c>d</c>, <c>h</c>, <c>head-width</c>, <c>r</c>,
    /// <c>pool</c> = <c>cls</c> or <c>mean</c>) for the given input.
    /// </summary>
    public static TransformerSettings Read(FamilyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = options.ResolvedInput;
        FamilyOptions.RequireValidInput(input);
        var reader = new FamilySettingsReader(TransformerFamily.Name, options.Settings);
        var small = FamilyOptions.ResolvePreset(reader, input) == "small";
        var pool = reader.Text("pool")?.ToLowerInvariant() ?? (small ? "mean" : "cls");
        if (pool is not ("cls" or "mean"))
        {
            reader.Report("pool", $"Unknown transformer pool '{pool}': expected 'cls' or 'mean'.", $"unknown pool '{pool}'", "cls or mean");
        }

        var settings = new TransformerSettings
        {
            Input = input,
            Classes = options.ResolvedClasses,
            Patch = reader.Integers("patch", [small ? 7 : 16], 1)[0],
            Widths = reader.Ascending("w", reader.Integers("w", small ? [32, 48, 64] : [192, 216, 240])),
            Depths = reader.Ascending("d", reader.Integers("d", small ? [2, 3, 4] : [12, 13, 14])),
            Heads = reader.Ascending("h", reader.Integers("h", small ? [2, 3, 4] : [3, 4])),
            HeadWidth = reader.Integers("head-width", [small ? 16 : 64], 1)[0],
            MlpRatios = reader.Ascending("r", reader.Numbers("r", small ? [2.0, 3.0, 4.0] : [3.5, 4.0])),
            ClassToken = pool == "cls",
        };
        if (settings.Patch > input.Height || settings.Patch > input.Width)
        {
            reader.Report(
                "patch",
                string.Create(CultureInfo.InvariantCulture, $"Invalid transformer setting patch: {settings.Patch} is larger than the {input.Height}x{input.Width} input."),
                string.Create(CultureInfo.InvariantCulture, $"transformer setting 'patch' ({settings.Patch}) exceeds the input"),
                "a patch no larger than the input");
        }

        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>The settings as text that <see cref="Read"/> turns back into these settings.</summary>
    public string ToText() => string.Join(
        ',',
        "patch=" + Patch.ToString(CultureInfo.InvariantCulture),
        "w=" + FamilySettingsReader.FormatList(Widths),
        "d=" + FamilySettingsReader.FormatList(Depths),
        "h=" + FamilySettingsReader.FormatList(Heads),
        "head-width=" + HeadWidth.ToString(CultureInfo.InvariantCulture),
        "r=" + FamilySettingsReader.FormatList(MlpRatios),
        "pool=" + (ClassToken ? "cls" : "mean"));
}
