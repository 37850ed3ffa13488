using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Torch.Evaluation;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// The sample super-network with its data and the benchmark's results store: the "live" evaluators every suite
/// uses. Accuracy is the real BatchNorm-recalibrated top-1 on the benchmark's validation subset, latency the real
/// ONNX Runtime measurement; both go through the product's <see cref="LiveEvaluator"/> and are cached in the store,
/// so a genome measured once (by any suite, or an earlier benchmark run) is a table lookup afterwards.
/// </summary>
internal sealed class LiveSample : IDisposable
{
    private readonly Dictionary<int, (OrtLatencyProfiler Profiler, LiveEvaluator Live)> _byThreads = [];
    private readonly Dictionary<string, EvaluatedCandidate> _seen = new(StringComparer.Ordinal);

    private LiveSample(HwNasConfig config, SupernetSession session, ResultsStore store)
    {
        Config = config;
        Session = session;
        Store = store;
        Onnx = new SubnetOnnx(session.Family, session.Network, () => session.Data, session.Preprocessing);
        Accuracy = new SupernetAccuracyEvaluator(
            session.Accuracy(), session.Family, new StoreAccuracyCache(store), session.CheckpointHash, session.Data.Key);
        // A relative budget is resolved as optimize resolves it: against the largest sub-network, measured now or stored.
        double? largest = config.Constraints.LatencyFraction is null
            ? null
            : LatencyAsync([session.Family.Largest()], null, CancellationToken.None).GetAwaiter().GetResult()[0].LatencyMs;
        Constraints = OptimizePipeline.ConstraintsOf(
            config.Constraints, new PlanLimits(session.Family, config.Constraints), StructuralCosts.SearchObjectives(config.Objectives), largest);
        LatencyBudgetMs = config.Constraints.EffectiveLatencyMs(largest) ?? double.PositiveInfinity;
    }

    /// <summary>The derived benchmark configuration.</summary>
    public HwNasConfig Config { get; }

    /// <summary>The loaded super-network and data.</summary>
    public SupernetSession Session { get; }

    /// <summary>The search space.</summary>
    public IElasticFamily Family => Session.Family;

    /// <summary>The benchmark's results store (the measured table).</summary>
    public ResultsStore Store { get; }

    /// <summary>Exports sub-networks to ONNX.</summary>
    public SubnetOnnx Onnx { get; }

    /// <summary>The accuracy evaluator (store-cached).</summary>
    public SupernetAccuracyEvaluator Accuracy { get; }

    /// <summary>The sample's constraints (latency budget, accuracy floor).</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>The sample's latency budget on this machine in milliseconds (+∞ when it has none).</summary>
    public double LatencyBudgetMs { get; }

    /// <summary>Latency measurements taken (not read from the store) by every profile so far.</summary>
    public int NewLatencyMeasurements => _byThreads.Values.Sum(p => p.Live.NewMeasurements);

    /// <summary>Objectives of the live evaluators: accuracy (fraction, maximised), latency (ms, minimised).</summary>
    public static IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy, Objective.Latency];

    /// <summary>Opens the sample under <paramref name="configPath"/> (the derived benchmark yaml).</summary>
    public static LiveSample Open(string configPath)
    {
        var config = HwNasConfigLoader.Load(configPath);
        var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        try
        {
            return new LiveSample(config, SupernetSession.Load(config, store), store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Every sub-network evaluated live on the 1-thread profile by this process so far (measured or looked up).</summary>
    public IReadOnlyCollection<EvaluatedCandidate> Seen => _seen.Values;

    /// <summary>
    /// The sample's device profile with <paramref name="threads"/> intra-op threads and the measurement protocol of
    /// the table: the sample's warm-up and timed runs, without reference-model drift checks. On this shared machine
    /// nearly every check fails, and a suspect measurement is never served from the store, so with them on the table
    /// would measure the same sub-networks again and again.
    /// </summary>
    public DeviceOptions DeviceWith(int threads) =>
        Config.Device with { IntraOpThreads = threads, Measure = Config.Device.Measure with { ReferenceModels = 0 } };

    /// <summary>
    /// The live evaluator measuring latency with <paramref name="threads"/> intra-op threads; on the 1-thread profile
    /// what it returns is also kept in <see cref="Seen"/>.
    /// </summary>
    public IEvaluator Live(int threads) => new SeenRecorder(this, Get(threads).Live, threads == 1);

    /// <summary>The profiler measuring with <paramref name="threads"/> intra-op threads.</summary>
    public OrtLatencyProfiler Profiler(int threads) => Get(threads).Profiler;

    /// <summary>Latency measurements of <paramref name="genomes"/> on the 1-thread profile, taken now or read from the store.</summary>
    public Task<IReadOnlyList<LatencyMeasurement>> LatencyAsync(
        IReadOnlyList<Genome> genomes, IProgress<ProfileProgress>? progress, CancellationToken cancellationToken) =>
        Profiler(1).ProfileAsync([.. genomes.Select(g => LiveEvaluator.RequestFor(Onnx, g))], progress, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Store.Dispose();
        Session.Dispose();
    }

    private (OrtLatencyProfiler Profiler, LiveEvaluator Live) Get(int threads)
    {
        if (!_byThreads.TryGetValue(threads, out var pair))
        {
            var device = DeviceWith(threads);
            var profiler = new OrtLatencyProfiler(device, Config.Supernet.Input, new LatencyProfilerOptions(device.Measure, []), Store);
            Store.SaveDevice(profiler.Fingerprint);
            pair = (profiler, new LiveEvaluator(Onnx, Accuracy, profiler));
            _byThreads[threads] = pair;
        }

        return pair;
    }

    private sealed class SeenRecorder(LiveSample sample, LiveEvaluator live, bool record) : IEvaluator
    {
        public IReadOnlyList<Objective> Objectives => live.Objectives;

        public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            var evaluated = await live.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
            if (record)
            {
                foreach (var candidate in evaluated)
                {
                    sample._seen.TryAdd(candidate.Genome.Key, candidate);
                }
            }

            return evaluated;
        }
    }
}
