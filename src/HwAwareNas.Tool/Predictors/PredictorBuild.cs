using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Datasets;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Predictors;

/// <summary>What <c>predictors build</c> was asked for.</summary>
/// <param name="ConfigPath">hwnas.yaml.</param>
/// <param name="Device">A device profile replacing the file's device section, or null.</param>
/// <param name="TargetTau">Held-out Kendall τ to reach.</param>
/// <param name="TargetMapePercent">Held-out MAPE to stay within, in percent.</param>
/// <param name="MaxSamples">Most training samples to measure.</param>
/// <param name="InitialSamples">Training samples before the first fit.</param>
/// <param name="Step">Training samples added per round.</param>
/// <param name="HoldOut">Held-out samples.</param>
/// <param name="Predictor">Predictor name, or null for the configured latency predictor (ridge for auto).</param>
/// <param name="Seed">Seed of the draws and the predictor, or null for search.seed.</param>
/// <param name="TransferFrom">A device profile or fingerprint key whose stored latencies seed the predictor, or null.</param>
internal sealed record PredictorBuildRequest(
    string ConfigPath,
    string? Device,
    double TargetTau,
    double TargetMapePercent,
    int MaxSamples,
    int InitialSamples,
    int Step,
    int HoldOut,
    string? Predictor,
    int? Seed,
    string? TransferFrom = null);

/// <summary>
/// <c>hwnas predictors build</c>: ESM's loop (<see cref="EsmDatasetBuilder"/>) on the configured device, every latency
/// measured by the same profiler, protocol and results store as <c>profile</c> and <c>optimize</c> (so nothing is
/// measured twice, and an interrupted build repeats its seeded draws from the store); the result is stored for
/// <c>optimize</c> on this device. With a transfer source (<see cref="TransferSource"/>) the loop fits a transfer
/// predictor over a predictor fitted on the source device's stored latencies, so a few target samples go a long way.
/// </summary>
internal static class PredictorBuild
{
    /// <summary>Training samples before the first fit, from scratch.</summary>
    public const int DefaultInitial = 100;

    /// <summary>Training samples per round, from scratch.</summary>
    public const int DefaultStep = 50;

    /// <summary>Training samples before the first fit with a transfer source (HELP and MAPLE-Edge: about 10 suffice).</summary>
    public const int TransferInitial = 10;

    /// <summary>Training samples per round with a transfer source.</summary>
    public const int TransferStep = 10;

    private const int DepthBins = 5;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Runs the loop, stores the predictor and returns the exit code (4 when the targets were not reached).</summary>
    /// <exception cref="HwNasException">A bad option or configuration, or a missing input.</exception>
    public static async Task<ExitCode> RunAsync(PredictorBuildRequest request, IConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(console);
        Validate(request);
        var config = HwNasConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions { DeviceProfile = request.Device });
        var factory = PredictorComparison.CreateFactory();
        var name = request.Predictor
            ?? (config.Search.Predictors.Latency == PredictorKind.Auto ? "ridge" : StrategyFactory.PredictorName(config.Search.Predictors.Latency));
        var (predictor, encoding) = PredictorComparison.Pairings(factory, [name], null, config.Supernet.CreateFamily())[0];
        var seed = request.Seed ?? config.Search.Seed;

        SupernetSession.RequireCheckpoint(config);
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        var predictorOptions = new HwAwareNas.Predictors.PredictorOptions { Seed = seed, CrossValidate = false, EnsembleSize = 0 };

        // The source is read and fitted before the super-network loads, so a source without measurements fails at once.
        var transfer = request.TransferFrom is { } from ? TransferSource.Resolve(from, request.ConfigPath, config, store) : null;
        using var source = transfer?.FitSource(store, config.Supernet.CreateFamily(), predictor, encoding, predictorOptions, factory);
        using var session = SupernetSession.Load(config, store);
        var family = session.Family;
        var onnx = new SubnetOnnx(family, session.Network, () => session.Data, session.Preprocessing);
        var profiler = await DeviceProfilers.OpenAsync(config, new LatencyProfilerOptions(config.Device.Measure, []), store, console.Error.WriteLine, cancellationToken)
            .ConfigureAwait(false);
        await using var remote = profiler as IAsyncDisposable;
        if (transfer is not null && string.Equals(transfer.FingerprintKey, profiler.Fingerprint.Key, StringComparison.Ordinal))
        {
            throw new HwNasException($"--transfer-from '{transfer.Name}' is the device this predictor is built for; name another device.", ExitCode.BadConfig);
        }

        store.SaveDevice(profiler.Fingerprint);
        var inPlace = !console.IsOutputRedirected;
        var measurement = new ProfilerMeasurement(onnx, profiler, console, inPlace);
        var options = new EsmDatasetOptions
        {
            BinCount = DepthBins,
            InitialSamples = request.InitialSamples,
            ExtensionSamples = request.Step,
            MaxSamples = request.MaxSamples,
            HoldOutSamples = request.HoldOut,
            TargetTau = request.TargetTau,
            TargetMape = request.TargetMapePercent / 100,
            Seed = seed,
        };
        var builder = new EsmDatasetBuilder(
            family,
            source is null
                ? () => GenomePredictor.Create(family, predictor, encoding, predictorOptions, factory)
                : () => GenomePredictor.CreateTransfer(source, predictorOptions, factory),
            options);
        if (transfer is not null)
        {
            console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: transferring from {transfer.Name} ({transfer.FingerprintKey}): {predictor} ({encoding}) fitted on its {source!.Metadata.TrainingSize} stored latencies ({ConfigChoices.Format(transfer.Statistic)})"));
        }

        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"hwnas: building a {(transfer is null ? string.Empty : "transferred ")}{predictor} ({encoding}) latency predictor on {config.Device.Name} ({profiler.Fingerprint.Key}): held-out set of {request.HoldOut}, then {request.InitialSamples} + {request.Step} per round up to {request.MaxSamples} depth-balanced samples, until tau >= {request.TargetTau:0.###} and MAPE <= {request.TargetMapePercent:0.###} %"));
        var dataset = await builder.BuildAsync(measurement, new RoundPrinter(console, measurement, builder.Bins), cancellationToken).ConfigureAwait(false);

        // The store keeps the samples, not the fitted model, which is released here.
        dataset.Predictor.Dispose();

        var final = dataset.Final;
        store.SavePredictor(new StoredPredictorRecord(
            profiler.Fingerprint.Key,
            family.Family,
            LiveEvaluator.SettingsHashOf(family),
            LatencyProfilerOptions.LatencyMetric,
            predictor,
            encoding,
            seed,
            [.. dataset.Genomes.Select((g, i) => new PredictorSample(g.Key, dataset.Values[i]))],
            [.. dataset.HoldOutGenomes.Select((g, i) => new PredictorSample(g.Key, dataset.HoldOutValues[i]))],
            final.Quality.KendallTau,
            final.Quality.Mape,
            dataset.Converged,
            BuildJson(options, dataset, transfer?.ToJson(source!.Metadata.TrainingSize)),
            DateTimeOffset.UtcNow));
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"hwnas: {StopText(dataset.StopReason)} after {final.TotalSamples} samples ({dataset.Rounds.Count} round{(dataset.Rounds.Count == 1 ? string.Empty : "s")}; {measurement.Measured} latencies measured now, {measurement.FromStore} read from the store): held-out tau {final.Quality.KendallTau:0.000}, MAPE {final.Quality.Mape * 100:0.00} %; stored for optimize on this device ({ResultsStore.DefaultPath(config.SourcePath)})"));
        return dataset.Converged ? ExitCode.Success : ExitCode.NoFeasibleModel;
    }

    private static void Validate(PredictorBuildRequest request)
    {
        string? problem = request switch
        {
            { TargetTau: <= -1 or > 1 } => "--tau must lie in (-1, 1]",
            { TargetMapePercent: <= 0 } => "--mape must be a positive percentage",
            { InitialSamples: < 2 } => "--initial must be at least 2",
            { Step: < 1 } => "--step must be at least 1",
            { HoldOut: < 2 } => "--holdout must be at least 2",
            _ when request.MaxSamples < request.InitialSamples => "--max-samples must be at least --initial",
            _ => null,
        };
        if (problem is not null)
        {
            throw new HwNasException(problem + ".", ExitCode.BadConfig);
        }
    }

    private static string StopText(EsmStopReason reason) => reason switch
    {
        EsmStopReason.TargetsMet => "targets met",
        EsmStopReason.BudgetSpent => "targets NOT met: --max-samples spent",
        _ => "targets NOT met: no unmeasured sub-network left in the bins to extend",
    };

    private static string BuildJson(EsmDatasetOptions options, EsmDataset dataset, object? transfer) => JsonSerializer.Serialize(
        new
        {
            transfer,
            target_tau = options.TargetTau,
            target_mape = options.TargetMape,
            max_samples = options.MaxSamples,
            initial = options.InitialSamples,
            step = options.ExtensionSamples,
            bins = options.BinCount,
            stop = dataset.StopReason.ToString(),
            rounds = dataset.Rounds.Select(r => new
            {
                round = r.Index,
                n = r.TotalSamples,
                tau = r.Quality.KendallTau,
                mape = r.Quality.Mape,
                bins = r.Bins.Select(b => new { depth = $"{b.MinDepth}-{b.MaxDepth}", samples = b.Samples, added = b.Added, held_out = b.HeldOut, tau = b.KendallTau, mape = b.Mape }),
            }),
        },
        Json);

    /// <summary>Latencies from the store-backed profiler, a group at a time; counts what was measured now.</summary>
    private sealed class ProfilerMeasurement(SubnetOnnx onnx, ILatencyProfiler profiler, IConsole console, bool inPlace) : IGenomeMeasurement
    {
        public int Measured { get; private set; }

        public int FromStore { get; private set; }

        public bool LineOpen { get; set; }

        public async Task<IReadOnlyList<double>> MeasureAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            var values = new List<double>(genomes.Count);
            foreach (var group in genomes.Chunk(OrtLatencyProfiler.MaxModelsPerGroup))
            {
                var measured = await profiler.ProfileAsync([.. group.Select(g => LiveEvaluator.RequestFor(onnx, g))], null, cancellationToken).ConfigureAwait(false);
                values.AddRange(measured.Select(m => m.LatencyMs));
                Measured += measured.Count(m => !m.FromStore);
                FromStore += measured.Count(m => m.FromStore);

                // A terminal sees the count move; redirected output gets the round lines only.
                if (inPlace)
                {
                    console.Out.Write(string.Create(CultureInfo.InvariantCulture, $"\rhwnas: measuring {values.Count}/{genomes.Count}").PadRight(60));
                    LineOpen = true;
                }
            }

            return values;
        }
    }

    /// <summary>One line per round: n, τ, MAPE, and MAPE per depth bin with the samples the round added.</summary>
    private sealed class RoundPrinter(IConsole console, ProfilerMeasurement measurement, DepthBins bins) : IProgress<EsmRound>
    {
        public void Report(EsmRound value)
        {
            if (measurement.LineOpen)
            {
                console.Out.WriteLine();
                measurement.LineOpen = false;
            }

            var perBin = string.Join(", ", value.Bins.Select(b => string.Create(
                CultureInfo.InvariantCulture, $"depth {(b.MinDepth == b.MaxDepth ? $"{b.MinDepth}" : $"{b.MinDepth}-{b.MaxDepth}")}: {b.Mape * 100:0.0} % (n {b.Samples}{(b.Added > 0 && value.Index > 1 ? $", +{b.Added}" : string.Empty)})")));
            console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: round {value.Index}: n {value.TotalSamples}, tau {value.Quality.KendallTau:0.000}, MAPE {value.Quality.Mape * 100:0.00} %{(value.MeetsTargets ? " (targets met)" : string.Empty)}; MAPE per {bins.Count} depth bins: {perBin}"));
        }
    }
}
