using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Families;

/// <summary>What a family is built for: the input image, the classes, and optional family-specific settings.</summary>
/// <param name="Input">Shape of one input image; null for the family's ImageNet default (3×224×224).</param>
/// <param name="Classes">Number of classes; null for 1000.</param>
/// <param name="Settings">Family-specific <c>key=value</c> settings (see each family's settings record); null for none.</param>
public sealed record FamilyOptions(
    FeatureShape? Input = null, int? Classes = null, IReadOnlyDictionary<string, string>? Settings = null)
{
    /// <summary>ImageNet input: 3×224×224.</summary>
    public static readonly FeatureShape ImageNetInput = new(3, 224, 224);

    /// <summary>ImageNet classes.</summary>
    public const int ImageNetClasses = 1000;

    /// <summary>Inputs smaller than this (height or width) get the <c>small</c> preset unless a preset is named.</summary>
    public const int SmallInputLimit = 64;

    /// <summary>The input shape to build for.</summary>
    public FeatureShape ResolvedInput => Input ?? ImageNetInput;

    /// <summary>The class count to build for; throws for a non-positive count.</summary>
    public int ResolvedClasses => Classes switch
    {
        null => ImageNetClasses,
        > 0 and var c => c,
        var c => throw new HwNasException($"The number of classes must be positive, not {c}.", ExitCode.BadConfig),
    };

    /// <summary>
    /// The preset named by the <c>preset</c> setting, or else <c>small</c> for inputs under
    /// <see cref="SmallInputLimit"/> pixels and <c>imagenet</c> otherwise (also, until the reader throws, for an unknown name).
    /// </summary>
    internal static string ResolvePreset(FamilySettingsReader reader, FeatureShape input)
    {
        var preset = reader.Text("preset")?.ToLowerInvariant();
        if (preset is "small" or "imagenet")
        {
            return preset;
        }

        if (preset is not null)
        {
            reader.Report("preset", $"Unknown preset '{preset}': expected 'imagenet' or 'small'.", $"unknown preset '{preset}'", "imagenet or small");
        }

        return input.Height < SmallInputLimit || input.Width < SmallInputLimit ? "small" : "imagenet";
    }

    /// <summary>Checks the input shape is usable.</summary>
    internal static void RequireValidInput(FeatureShape input)
    {
        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            throw new HwNasException($"Invalid input shape {input}: every dimension must be positive.", ExitCode.BadConfig);
        }
    }
}
