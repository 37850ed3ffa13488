using System.Collections;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Import;

/// <summary>
/// Super-network weights from a PyTorch state dict in once-for-all's layout (<c>OFAMobileNetV3</c>, <c>OFAResNets</c>):
/// reads the file, maps OFA's parameter and buffer names onto the slots of our families and copies the values into an
/// <see cref="ElasticSupernet"/>, kernel-transform matrices included.
/// </summary>
/// <remarks>
/// OFA wraps every elastic layer once more than our slots name it: a dynamic conv's weight is
/// <c>…conv.conv.weight</c>, a dynamic BatchNorm's <c>…bn.bn.weight</c>, ResNet's classifier
/// <c>classifier.linear.linear.weight</c>. MobileNetV3 blocks hold their layers under <c>blocks.N.conv.</c> and
/// squeeze-and-excite under <c>se.fc.</c>; its first conv, first block, final expand, feature mix and classifier are
/// static layers without the extra level.
/// </remarks>
public static class OfaStateDict
{
    private const int ProblemsShown = 6;

    // OFA's published MobileNetV3 width multipliers (ofa_mbv3_d234_e346_k357_w1.0 and _w1.2).
    private static readonly double[] PublishedWidthMultipliers = [1.0, 1.2];

    /// <summary>
    /// Reads the tensors of a PyTorch checkpoint: a dict holding <c>state_dict</c> (OFA's format) or the state dict itself;
    /// a DataParallel <c>module.</c> prefix is dropped. Throws <see cref="HwNasException"/>
    /// (<see cref="ExitCode.MissingInput"/>) when the file is missing or not a readable PyTorch checkpoint.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new HwNasException($"PyTorch checkpoint not found: {path}.", ExitCode.MissingInput);
        }

        object root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HwNasException(
                $"{path} is not a PyTorch checkpoint that can be read (torch.save of a state dict or of {{'state_dict': ...}}): {e.Message}",
                ExitCode.MissingInput, e);
        }

        var dict = root as IDictionary;
        if (dict is not null && dict.Contains("state_dict") && dict["state_dict"] is IDictionary nested)
        {
            dict = nested;
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dict ?? new Hashtable())
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                tensors[key] = tensor;
            }
        }

        if (tensors.Count == 0)
        {
            throw new HwNasException($"{path} holds no tensors: expected a PyTorch state dict.", ExitCode.MissingInput);
        }

        const string parallel = "module.";
        return tensors.Keys.All(k => k.StartsWith(parallel, StringComparison.Ordinal))
            ? tensors.ToDictionary(pair => pair.Key[parallel.Length..], pair => pair.Value, StringComparer.Ordinal)
            : tensors;
    }

    /// <summary>
    /// Copies <paramref name="stateDict"/> into <paramref name="supernet"/>, which must be built with kernel transforms
    /// where OFA has them. Every parameter and running statistic must be present with the super-network's largest
    /// shape, and no other tensor may be left over (<c>num_batches_tracked</c> aside). Throws
    /// <see cref="HwNasException"/> (<see cref="ExitCode.MissingInput"/>) naming each missing, misshapen or unexpected
    /// key with the expected and found shape, and saying which architecture the state dict looks like.
    /// </summary>
    public static void LoadInto(ElasticSupernet supernet, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentNullException.ThrowIfNull(stateDict);
        var family = supernet.Family;
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        void Copy(string key, Tensor target)
        {
            used.Add(key);
            if (!stateDict.TryGetValue(key, out var value))
            {
                problems.Add($"missing key '{key}' (expected {ShapeText(target.shape)})");
            }
            else if (!value.shape.SequenceEqual(target.shape))
            {
                problems.Add($"key '{key}' expected {ShapeText(target.shape)}, found {ShapeText(value.shape)}");
            }
            else
            {
                target.copy_(value.to_type(ScalarType.Float32));
            }
        }

        using (no_grad())
        {
            foreach (var op in family.Plan(family.Largest()).Ops)
            {
                switch (op)
                {
                    case ConvOp conv:
                        {
                            var layer = (ElasticConv2d)supernet.LayerOf(conv.Slot);
                            var key = OfaKey(family, conv.Slot);
                            Copy(key + ".weight", layer.Weight);
                            if (layer.Bias is { } bias)
                            {
                                Copy(key + ".bias", bias);
                            }

                            // The matrices belong to OFA's DynamicSeparableConv2d, one level above its inner Conv2d.
                            foreach (var (name, matrix) in layer.KernelTransforms)
                            {
                                Copy(key[..key.LastIndexOf('.')] + "." + name, matrix);
                            }

                            break;
                        }

                    case BatchNormOp bn:
                        {
                            var layer = (ElasticBatchNorm2d)supernet.LayerOf(bn.Slot);
                            var key = OfaKey(family, bn.Slot);
                            Copy(key + ".weight", layer.Gamma(layer.MaxChannels));
                            Copy(key + ".bias", layer.Beta(layer.MaxChannels));
                            Copy(key + ".running_mean", layer.RunningMean(layer.MaxChannels));
                            Copy(key + ".running_var", layer.RunningVariance(layer.MaxChannels));
                            used.Add(key + ".num_batches_tracked");
                            break;
                        }

                    case LinearOp linear:
                        {
                            var layer = (ElasticLinear)supernet.LayerOf(linear.Slot);
                            var key = OfaKey(family, linear.Slot);
                            Copy(key + ".weight", layer.ActiveWeight(linear));
                            if (layer.ActiveBias(linear) is { } bias)
                            {
                                Copy(key + ".bias", bias);
                            }

                            break;
                        }
                }
            }
        }

        problems.AddRange(stateDict.Keys
            .Where(k => !used.Contains(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => $"unexpected key '{k}' {ShapeText(stateDict[k].shape)}"));
        if (problems.Count == 0)
        {
            return;
        }

        var shown = string.Join("; ", problems.Take(ProblemsShown));
        var more = problems.Count > ProblemsShown
            ? string.Create(CultureInfo.InvariantCulture, $"; and {problems.Count - ProblemsShown} more")
            : string.Empty;
        throw new HwNasException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{source} does not fit {family.Family} ({family.SettingsText}), {family.Classes} classes; it looks like "
                + $"{DescribeArchitecture(stateDict)}. {problems.Count} problem(s): {shown}{more}."),
            ExitCode.MissingInput);
    }

    /// <summary>
    /// What architecture a state dict looks like, from its names and shapes: OFA MobileNetV3 (with the widths and,
    /// where it matches, OFA's width multiplier), OFA ResNet (stem and stage widths), or neither.
    /// </summary>
    internal static string DescribeArchitecture(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        int? Rows(string key) => stateDict.TryGetValue(key, out var t) && t.shape.Length > 0 ? (int)t.shape[0] : null;

        if (Rows("input_stem.0.conv.conv.weight") is not null)
        {
            var blocks = BlockIndices(stateDict);
            var stageWidths = blocks.Select(b => Rows($"blocks.{b}.conv3.conv.conv.weight") ?? 0).Distinct().ToList();
            var stem = Rows("input_stem.2.conv.conv.weight") ?? 0;
            var resnet50 = stem == 64 && stageWidths.SequenceEqual(ResNetSettings.ImageNetStageWidths) && blocks.Count == 18
                ? " (OFA's ResNet50 space: --family resnet with default settings)"
                : string.Empty;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"an OFA ResNet: stem width {stem}, stage widths {FamilySettingsReader.FormatList(stageWidths)}, {blocks.Count} blocks, "
                + $"{Rows("classifier.linear.linear.weight")} classes{resnet50}");
        }

        if (Rows("first_conv.conv.weight") is { } first && Rows("blocks.0.conv.point_linear.conv.weight") is { } firstBlock)
        {
            var blocks = BlockIndices(stateDict).Where(b => b > 0).ToList();
            var perUnit = Math.Max(1, blocks.Count / MobileNetV3Settings.Units);
            var widths = new List<int> { first, firstBlock };
            for (var unit = 0; unit < MobileNetV3Settings.Units; unit++)
            {
                widths.Add(Rows($"blocks.{1 + (unit * perUnit)}.conv.point_linear.conv.conv.weight") ?? 0);
            }

            widths.Add(Rows("final_expand_layer.conv.weight") ?? 0);
            widths.Add(Rows("feature_mix_layer.conv.weight") ?? 0);
            var kernel = stateDict.TryGetValue("blocks.1.conv.depth_conv.conv.conv.weight", out var depthwise) ? depthwise.shape[^1] : 0;
            var multiplier = PublishedWidthMultipliers.Where(w => MobileNetV3Settings.ImageNetWidths.Select(b => ChannelRounding.MakeDivisible(b * w)).SequenceEqual(widths))
                .Select(w => string.Create(CultureInfo.InvariantCulture, $" (OFA's w{w:0.0}: --family mobilenetv3 --settings width={w:0.0})"))
                .FirstOrDefault() ?? string.Empty;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"an OFA MobileNetV3: widths {FamilySettingsReader.FormatList(widths)}, {perUnit} blocks per unit, kernels up to {kernel}, "
                + $"{Rows("classifier.linear.weight")} classes{multiplier}");
        }

        return $"neither an OFA MobileNetV3 nor an OFA ResNet (its first keys: {string.Join(", ", stateDict.Keys.Order(StringComparer.Ordinal).Take(3))})";
    }

    /// <summary>OFA's state-dict prefix for one of our slots (names of the parameters minus <c>.weight</c>/<c>.bias</c>).</summary>
    internal static string OfaKey(IElasticFamily family, string slot) => family switch
    {
        // Every ResNet layer is dynamic: the slot's last name repeats once more.
        ResNetFamily => slot + "." + slot[(slot.LastIndexOf('.') + 1)..],
        MobileNetV3Family => MobileNetV3Key(slot),
        _ => throw new HwNasException(
            $"OFA checkpoints can be imported for the mobilenetv3 and resnet families, not {family.Family}.", ExitCode.BadConfig),
    };

    private static string MobileNetV3Key(string slot)
    {
        const string blocks = "blocks.";
        if (!slot.StartsWith(blocks, StringComparison.Ordinal))
        {
            return slot;
        }

        var dot = slot.IndexOf('.', blocks.Length);
        var block = slot[..dot];
        var layer = slot[(dot + 1)..];
        if (block == "blocks.0")
        {
            return block + ".conv." + layer;
        }

        const string squeeze = "depth_conv.se.";
        return layer.StartsWith(squeeze, StringComparison.Ordinal)
            ? block + ".conv." + squeeze + "fc." + layer[squeeze.Length..]
            : block + ".conv." + layer + "." + layer[(layer.LastIndexOf('.') + 1)..];
    }

    private static List<int> BlockIndices(IReadOnlyDictionary<string, Tensor> stateDict) =>
        [.. stateDict.Keys
            .Where(k => k.StartsWith("blocks.", StringComparison.Ordinal))
            .Select(k => int.TryParse(k.Split('.')[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : -1)
            .Where(b => b >= 0)
            .Distinct()
            .Order()];

    private static string ShapeText(long[] shape) =>
        "[" + string.Join(',', shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
