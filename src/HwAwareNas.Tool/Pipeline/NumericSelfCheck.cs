using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Onnx;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Native;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Runs an ONNX model on one input batch: the independent side of the numeric self-check.</summary>
internal interface IReferenceInference
{
    /// <summary>The runtime and version, e.g. <c>onnxruntime 1.31.1</c> (part of the check's cache key).</summary>
    string Version { get; }

    /// <summary>The model's first output for <paramref name="input"/> of shape <paramref name="shape"/>, flattened.</summary>
    float[] Run(byte[] model, float[] input, long[] shape);
}

/// <summary>ONNX Runtime on the CPU, default session options.</summary>
internal sealed class OrtReferenceInference : IReferenceInference
{
    /// <inheritdoc />
    public string Version => "onnxruntime " + OrtEnv.Instance().GetVersionString();

    /// <inheritdoc />
    public float[] Run(byte[] model, float[] input, long[] shape)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(new RunOptions(), [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}

/// <summary>The outcome of a numeric self-check that passed.</summary>
/// <param name="MaxDifference">Largest |TorchSharp − reference| over the checked logits.</param>
/// <param name="Tolerance">The largest difference accepted.</param>
/// <param name="Description">CPU, instruction-set cap, libraries and sub-networks checked, in words.</param>
/// <param name="FromCache">Whether an earlier pass with the same key was reused instead of running the check.</param>
/// <param name="Seconds">Time the check took (0 when cached).</param>
internal sealed record NumericCheckOutcome(double MaxDifference, double Tolerance, string Description, bool FromCache, double Seconds)
{
    /// <summary>One line for progress output.</summary>
    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"numeric self-check passed: max |TorchSharp - ONNX Runtime| {MaxDifference:G3} <= {Tolerance:G3} ({(FromCache ? "cached pass on this machine" : $"{Seconds:0.00} s")}, oneDNN capped at {OneDnnIsaCap.Effective})");
}

/// <summary>
/// A known-answer check run before the product trusts TorchSharp on this machine: the family's largest and smallest
/// sub-networks forward a fixed batch in TorchSharp and, exported, in ONNX Runtime; the two must agree within
/// <see cref="RelativeTolerance"/>. libtorch's oneDNN kernels have computed wrong values (even NaN) on some CPUs, which
/// would otherwise train, calibrate and score every sub-network on wrong numbers without a sign. A pass is cached in the
/// results store, keyed by CPU, instruction-set cap, library versions, family and weights.
/// </summary>
internal sealed class NumericSelfCheck(IReferenceInference reference, ResultsStore? cache)
{
    /// <summary>
    /// Tolerance relative to the largest reference logit (at least 1). Export parity holds within 1e-4 on well-trained
    /// networks, but a barely trained one (one epoch on 200 images: logits near 1,440) differed by 2.6e-4–4.3e-4 of its
    /// largest logit under every oneDNN cap, from folding BatchNorm with tiny variances; the kernel fault this guards
    /// against was 5 % off or NaN.
    /// </summary>
    public const double RelativeTolerance = 1e-3;

    // Sixteen images take the batched (oneDNN) convolution paths that training and calibration use.
    private const int Batch = 16;
    private const int InputSeed = 20261207;

    /// <summary>A check against ONNX Runtime, cached in <paramref name="cache"/> when given.</summary>
    public static NumericSelfCheck WithOnnxRuntime(ResultsStore? cache) => new(new OrtReferenceInference(), cache);

    /// <summary>
    /// Checks <paramref name="network"/> (weights identified by <paramref name="weightsKey"/>, e.g. the checkpoint hash);
    /// throws <see cref="HwNasException"/> with <see cref="ExitCode.NumericMismatch"/> when the outputs disagree.
    /// The network's active sub-network and training mode are restored afterwards.
    /// </summary>
    public NumericCheckOutcome Run(ElasticSupernet network, string weightsKey)
    {
        ArgumentNullException.ThrowIfNull(network);
        var family = network.Family;
        var machine = MachineText();
        var key = StableHash.OfText(string.Create(
            CultureInfo.InvariantCulture,
            $"{machine}\nreference={reference.Version}\nfamily={family.Family}|{family.SettingsText}|{family.Input.Channels}x{family.Input.Height}x{family.Input.Width}|{family.Classes}\nweights={weightsKey}\nbatch={Batch}\n"));
        if (cache?.TryGetNumericCheck(key) is { } stored)
        {
            return new NumericCheckOutcome(stored.MaxDifference, stored.Tolerance, stored.Description, FromCache: true, Seconds: 0);
        }

        var watch = Stopwatch.StartNew();
        var genomes = new[] { ("largest", family.Largest()), ("smallest", family.Smallest()) };
        var worst = 0.0;
        var scale = 1.0;
        var worstName = genomes[0].Item1;
        var previous = network.ActiveGenome;
        var wasTraining = network.training;
        var shape = new long[] { Batch, family.Input.Channels, family.Input.Height, family.Input.Width };
        var input = FixedBatch(shape);

        // The check feeds normalised tensors, so the model's own preprocessing is the identity, per input channel.
        var identity = new OnnxPreprocessing(1, [.. Enumerable.Repeat(0.0, family.Input.Channels)], [.. Enumerable.Repeat(1.0, family.Input.Channels)]);
        try
        {
            network.eval();
            foreach (var (name, genome) in genomes)
            {
                network.SetActive(genome);
                var expected = reference.Run(
                    OnnxExporter.ToBytes(network.ExtractActive(), OnnxExportOptions.ForFamily(family, genome, identity)),
                    input,
                    shape);
                var actual = TorchForward(network, input, shape);
                var difference = MaxDifference(expected, actual);
                scale = Math.Max(scale, expected.Length == 0 ? 1 : expected.Max(v => Math.Abs((double)v)));
                if (!(difference <= worst))
                {
                    worst = difference;
                    worstName = name;
                }
            }
        }
        finally
        {
            network.SetActive(previous);
            network.train(wasTraining);
        }

        var tolerance = RelativeTolerance * scale;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{family.Family} largest and smallest sub-networks, {Batch} fixed images: TorchSharp vs {reference.Version}, max |difference| {worst:G3} (tolerance {tolerance:G3}); {machine.Replace('\n', ';')}");
        if (!(worst <= tolerance))
        {
            throw new HwNasException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"numeric self-check failed: TorchSharp and {reference.Version} disagree on the {family.Family} {worstName} sub-network by {(double.IsInfinity(worst) ? "a NaN or infinite logit" : worst.ToString("G3", CultureInfo.InvariantCulture))} (tolerance {tolerance:G3}) on CPU '{DeviceFingerprint.ReadCpuModel()}' " +
                    $"({HostVectorExtensions()}, oneDNN capped at {OneDnnIsaCap.Effective}{(OneDnnIsaCap.SetByUser ? " by " + OneDnnIsaCap.Variable : string.Empty)}). " +
                    $"Training and accuracy on this machine would be wrong; try {OneDnnIsaCap.Variable}=AVX2 (or lower, e.g. SSE41) and run again."),
                ExitCode.NumericMismatch);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        cache?.SaveNumericCheck(new NumericCheckRecord(key, worst, tolerance, description, DateTimeOffset.UtcNow));
        return new NumericCheckOutcome(worst, tolerance, description, FromCache: false, seconds);
    }

    /// <summary>The vector extensions the CPU reports (the widest of AVX-512, AVX2, AVX, NEON), for messages.</summary>
    internal static string HostVectorExtensions(string cpuInfoPath = "/proc/cpuinfo")
    {
        if (!File.Exists(cpuInfoPath))
        {
            return "vector extensions unknown";
        }

        var flags = File.ReadLines(cpuInfoPath)
            .Where(l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..])
            .FirstOrDefault()?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal) ?? [];
        var avx512 = flags.Where(f => f.StartsWith("avx512", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return avx512.Count > 0 ? "AVX-512 (" + string.Join(' ', avx512) + ")"
            : flags.Contains("avx2") ? "AVX2"
            : flags.Contains("avx") ? "AVX"
            : flags.Contains("asimd") || flags.Contains("neon") ? "NEON"
            : "no AVX";
    }

    private static string MachineText() => string.Create(
        CultureInfo.InvariantCulture,
        $"cpu={DeviceFingerprint.ReadCpuModel()}\nisa={HostVectorExtensions()}\nonednn_cap={OneDnnIsaCap.Effective}\ntorchsharp={typeof(TorchSharp.torch).Assembly.GetName().Version}\ntorch_threads={get_num_threads()}");

    // Managed randomness: the check must not move torch's global generator, which seeds training and sampling.
    private static float[] FixedBatch(long[] shape)
    {
        var random = new Random(InputSeed);
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return values;
    }

    private static float[] TorchForward(ElasticSupernet network, float[] input, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = network.forward(tensor(input, shape));
        return output.contiguous().data<float>().ToArray();
    }

    // NaN anywhere counts as an infinite difference.
    private static double MaxDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return double.PositiveInfinity;
        }

        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs((double)expected[i] - actual[i]);
            worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
        }

        return worst;
    }
}
