using System.Globalization;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Predictors;

/// <summary>
/// A multi-layer perceptron regressor (TorchSharp): the predictor Laube et al. found best beyond ~100 samples and
/// ESM's surrogate on FCC features. Features and targets are z-normalised, the loss is MSE, training is Adam with
/// early stopping on a seeded validation split, and the best weights by validation loss are kept.
/// </summary>
public sealed class MlpPredictor : PredictorBase
{
    /// <summary>The name of the ESM configuration (3 × 64, lr 0.01).</summary>
    public const string PredictorName = "mlp";

    /// <summary>The name of Laube et al.'s small configuration (3 × 32, lr 1e-3).</summary>
    public const string SmallPredictorName = "mlp-small";

    private const string StateEntry = "mlp.json";
    private const int MinimumSamplesForValidation = 10;

    private readonly string _name;
    private MlpState? _state;
    private Sequential? _network;
    private int _epochs;

    /// <summary>Creates an untrained MLP predictor.</summary>
    public MlpPredictor(PredictorOptions? options = null, MlpOptions? mlp = null, string name = PredictorName)
        : base(options ?? new PredictorOptions())
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Mlp = mlp ?? MlpOptions.Esm;
        _name = name;
    }

    /// <inheritdoc />
    public override string Name => _name;

    /// <summary>The architecture and training settings.</summary>
    public MlpOptions Mlp { get; }

    /// <summary>Adds <c>mlp</c> (ESM) and <c>mlp-small</c> (Laube et al.) to <paramref name="factory"/>.</summary>
    public static void Register(PredictorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.Register(PredictorName, o => new MlpPredictor(o, MlpOptions.Esm, PredictorName), Load);
        factory.Register(SmallPredictorName, o => new MlpPredictor(o, MlpOptions.Small, SmallPredictorName), Load);
    }

    /// <summary>Restores an MLP saved by <see cref="IPredictor.Save"/>.</summary>
    public static MlpPredictor Load(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var state = archive.ReadJson<MlpState>(StateEntry);
        var predictor = new MlpPredictor(archive.Options, state.Options, archive.Metadata.Name)
        {
            _state = state,
            _epochs = state.Epochs,
        };
        predictor._network = BuildNetwork(state.FeatureMeans.Length, state.Options.HiddenLayers, seed: null);
        SetWeights(predictor._network, state.Weights);
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new MlpPredictor(options, Mlp, _name);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var p = features[0].Length;
        var (means, scales) = Moments(features);
        var targetMean = targets.Average();
        var targetSd = Math.Sqrt(targets.Average(t => (t - targetMean) * (t - targetMean)));
        var targetScale = targetSd > 1e-12 ? targetSd : 1;
        var x = Normalise(features, means, scales);
        var y = targets.Select(t => (float)((t - targetMean) / targetScale)).ToArray();

        var random = new Random(Options.Seed);
        var order = Enumerable.Range(0, features.Count).ToArray();
        random.Shuffle(order);
        var validationCount = features.Count >= MinimumSamplesForValidation
            ? Math.Max(1, (int)Math.Round(features.Count * Mlp.ValidationShare))
            : 0;
        var validation = order[..validationCount];
        var train = order[validationCount..];

        _network?.Dispose();
        _network = BuildNetwork(p, Mlp.HiddenLayers, Options.Seed);
        var weights = Train(_network, x, y, p, train, validation, random);
        SetWeights(_network, weights);
        _state = new MlpState(Mlp, means, scales, targetMean, targetScale, weights, _epochs);
        return null;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features)
    {
        ObjectDisposedException.ThrowIf(_network is null, this);
        var state = _state!;
        var x = Normalise(features, state.FeatureMeans, state.FeatureScales);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _network.eval();
        var output = _network.forward(tensor(x, [features.Count, state.FeatureMeans.Length])).data<float>().ToArray();
        return [.. output.Select(o => state.TargetMean + (state.TargetScale * o))];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network?.Dispose();
            _network = null;
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"hidden={string.Join('x', Mlp.HiddenLayers)}, lr={Mlp.LearningRate}, wd={Mlp.WeightDecay}, epochs={_epochs}");

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        archive.WriteJson(StateEntry, _state!);
    }

    private float[][] Train(Sequential network, float[] x, float[] y, int p, int[] train, int[] validation, Random random)
    {
        using var optimizer = optim.Adam(network.parameters(), Mlp.LearningRate, weight_decay: Mlp.WeightDecay);
        using var lossFunction = nn.MSELoss();
        var best = GetWeights(network);
        var bestLoss = double.PositiveInfinity;
        var sinceBest = 0;
        _epochs = 0;
        for (var epoch = 0; epoch < Mlp.MaxEpochs && (validation.Length == 0 || sinceBest < Mlp.Patience); epoch++)
        {
            _epochs = epoch + 1;
            network.train();
            random.Shuffle(train);
            for (var start = 0; start < train.Length; start += Mlp.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = train[start..Math.Min(start + Mlp.BatchSize, train.Length)];
                var (input, target) = Batch(x, y, p, batch);
                optimizer.zero_grad();
                var loss = lossFunction.forward(network.forward(input), target);
                loss.backward();
                optimizer.step();
            }

            if (validation.Length > 0)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                network.eval();
                var (input, target) = Batch(x, y, p, validation);
                var loss = lossFunction.forward(network.forward(input), target).item<float>();
                if (loss < bestLoss)
                {
                    bestLoss = loss;
                    best = GetWeights(network);
                    sinceBest = 0;
                }
                else
                {
                    sinceBest++;
                }
            }
        }

        return validation.Length > 0 ? best : GetWeights(network);
    }

    private static (Tensor Input, Tensor Target) Batch(float[] x, float[] y, int p, int[] rows)
    {
        var input = new float[rows.Length * p];
        var target = new float[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            Array.Copy(x, rows[r] * p, input, r * p, p);
            target[r] = y[rows[r]];
        }

        return (tensor(input, [rows.Length, p]), tensor(target, [rows.Length, 1]));
    }

    /// <summary>
    /// Builds the network without touching TorchSharp's global generator: the layers are made from parameters drawn
    /// from a generator of the fit's own (seed given) or left uninitialised (a load overwrites them), so a fit can
    /// neither disturb nor be disturbed by another thread seeding and drawing globally (the supernet trainer).
    /// </summary>
    private static Sequential BuildNetwork(int inputs, IReadOnlyList<int> hidden, int? seed)
    {
        using var generator = seed is int s ? new Generator(unchecked((ulong)s)) : null;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = inputs;
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"linear{i}", InitialisedLinear(width, hidden[i], generator)));
            layers.Add(($"relu{i}", nn.ReLU()));
            width = hidden[i];
        }

        layers.Add(("output", InitialisedLinear(width, 1, generator)));
        return nn.Sequential(layers);
    }

    /// <summary>
    /// A linear layer initialised as <c>nn.Linear</c> initialises (weight and bias uniform in ±1/√inputs, which is
    /// kaiming_uniform_ with a = √5), but from <paramref name="generator"/>: TorchSharp's kaiming_uniform_ takes none.
    /// </summary>
    private static Linear InitialisedLinear(int inputs, int outputs, Generator? generator)
    {
        var weight = empty(outputs, inputs);
        var bias = empty(outputs);
        if (generator is not null)
        {
            var bound = 1 / Math.Sqrt(inputs);
            using var noGrad = no_grad();
            weight.uniform_(-bound, bound, generator);
            bias.uniform_(-bound, bound, generator);
        }

        return nn.Linear(new Parameter(weight), new Parameter(bias));
    }

    private static float[][] GetWeights(Sequential network)
    {
        using var scope = NewDisposeScope();
        return [.. network.parameters().Select(parameter => parameter.detach().cpu().data<float>().ToArray())];
    }

    private static void SetWeights(Sequential network, float[][] weights)
    {
        using var noGrad = no_grad();
        var parameters = network.parameters().ToList();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var values = tensor(weights[i], parameters[i].shape);
            parameters[i].copy_(values);
        }
    }

    private static (double[] Means, double[] Scales) Moments(IReadOnlyList<float[]> features)
    {
        var p = features[0].Length;
        var means = new double[p];
        var scales = new double[p];
        for (var j = 0; j < p; j++)
        {
            means[j] = features.Average(f => (double)f[j]);
            var sd = Math.Sqrt(features.Average(f => (f[j] - means[j]) * (f[j] - means[j])));
            scales[j] = sd > 1e-12 ? sd : 1;
        }

        return (means, scales);
    }

    private static float[] Normalise(IReadOnlyList<float[]> features, double[] means, double[] scales)
    {
        var p = means.Length;
        var x = new float[features.Count * p];
        for (var i = 0; i < features.Count; i++)
        {
            for (var j = 0; j < p; j++)
            {
                x[(i * p) + j] = (float)((features[i][j] - means[j]) / scales[j]);
            }
        }

        return x;
    }

    private sealed record MlpState(
        MlpOptions Options,
        double[] FeatureMeans,
        double[] FeatureScales,
        double TargetMean,
        double TargetScale,
        float[][] Weights,
        int Epochs);
}
