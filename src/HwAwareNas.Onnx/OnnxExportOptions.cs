using System.Text;
using System.Text.Json;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Onnx;

/// <summary>
/// How a consumer must prepare an image before feeding the exported model: the layout is NCHW with the
/// graph's input size; each pixel is multiplied by <see cref="Scale"/>, then normalised per channel as
/// <c>(x − mean[c]) / std[c]</c>.
/// </summary>
/// <param name="Scale">Factor applied to raw pixel values first, e.g. 1/255 for bytes.</param>
/// <param name="Mean">Per-channel mean subtracted after scaling (one value per input channel).</param>
/// <param name="Std">Per-channel standard deviation divided by after subtracting the mean (one value per input channel).</param>
/// <param name="ClassLabels">The label of each output logit in order, when known.</param>
public sealed record OnnxPreprocessing(
    double Scale,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    IReadOnlyList<string>? ClassLabels = null);

/// <summary>
/// What the exporter writes into a model's <c>metadata_props</c> besides the graph: where the sub-network
/// comes from and how to feed it.
/// </summary>
/// <param name="Family">Super-network family, e.g. <c>mobilenetv3</c> (key <c>family</c>).</param>
/// <param name="SettingsJson">The family's settings as a JSON document (key <c>settings</c>).</param>
/// <param name="Genome">The sub-network in OFA notation (key <c>genome</c>).</param>
/// <param name="Preprocessing">Input preparation (key <c>preprocessing</c>, written as JSON).</param>
/// <param name="ExtraMetadata">
/// Further key/value pairs, e.g. measured accuracy, latency and device fingerprint; keys must not repeat the
/// ones above.
/// </param>
public sealed record OnnxExportOptions(
    string Family,
    string SettingsJson,
    string Genome,
    OnnxPreprocessing Preprocessing,
    IReadOnlyDictionary<string, string>? ExtraMetadata = null)
{
    /// <summary>Metadata key of <see cref="Family"/>.</summary>
    public const string FamilyKey = "family";

    /// <summary>Metadata key of <see cref="SettingsJson"/>.</summary>
    public const string SettingsKey = "settings";

    /// <summary>Metadata key of <see cref="Genome"/>.</summary>
    public const string GenomeKey = "genome";

    /// <summary>Metadata key of <see cref="Preprocessing"/>.</summary>
    public const string PreprocessingKey = "preprocessing";

    /// <summary>
    /// Options for a sub-network of <paramref name="family"/>: the family name, the genome in OFA notation, and
    /// settings JSON (<c>{"input":[C,H,W],"classes":K,"settings":{key:value,...}}</c>) from which
    /// <see cref="FamilyRegistry.Create"/> rebuilds the same family.
    /// </summary>
    public static OnnxExportOptions ForFamily(
        IElasticFamily family,
        Genome genome,
        OnnxPreprocessing preprocessing,
        IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(genome);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("input");
            json.WriteNumberValue(family.Input.Channels);
            json.WriteNumberValue(family.Input.Height);
            json.WriteNumberValue(family.Input.Width);
            json.WriteEndArray();
            json.WriteNumber("classes", family.Classes);
            json.WriteStartObject("settings");
            foreach (var (key, value) in FamilySettingsReader.Split(family.SettingsText))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new OnnxExportOptions(
            family.Family, Encoding.UTF8.GetString(buffer.ToArray()), family.ToOfaNotation(genome), preprocessing, extraMetadata);
    }
}
