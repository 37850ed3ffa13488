using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HwAwareNas.Cluster.Caller;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.TestSupport;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Device agents on real processes: how fast a batch of the sample's sub-networks is measured by one agent and by two
/// agents of one kind (each pinned to its own core), what measuring through an agent costs per model against
/// measuring in this process, and whether the agents' latencies agree with the local ones. Everything runs on
/// loopback: a real <c>redis-server</c> per fleet, <c>hwnas-agent</c> processes with the fleet's certificates, and the
/// product's <see cref="RemoteLatencyProfiler"/> without a results store, so every model is really measured.
/// </summary>
internal static partial class AgentThroughputSuite
{
    private const string Solo = "1 agent";
    private const string Pair = "2 agents";
    private const string Local = "local (in-process)";
    private const string LocalAgain = "local, again";

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var sample = run.Sample;
        var s = run.Settings.Agents;
        var cores = Environment.ProcessorCount;
        var loadBefore = MachineFacts.LoadAverage();
        var notices = new List<string>();
        void Notice(string line)
        {
            lock (notices)
            {
                notices.Add(line);
            }

            Progress.Note("agents: " + line);
        }

        // Fresh sub-networks for every repetition (and a separate warm-up set): no agent has seen a model before it is
        // timed, so every timed batch uploads and measures all of its models.
        var genomes = DistinctGenomes(sample.Family, s.WarmupModels + (s.Repetitions * s.BatchSize), new Random(23));
        var exportClock = Stopwatch.StartNew();
        var requests = genomes.Select(g => LiveEvaluator.RequestFor(sample.Onnx, g)).ToList();
        var exportMs = exportClock.Elapsed.TotalMilliseconds / requests.Count;
        var warmup = requests.Take(s.WarmupModels).ToList();
        var batches = Enumerable.Range(0, s.Repetitions).Select(r => requests.Skip(s.WarmupModels + (r * s.BatchSize)).Take(s.BatchSize).ToList()).ToList();
        var modelKilobytes = requests.Select(r => r.Model.Bytes!.Length / 1024.0).ToList();

        // The local profile: the sample's device, 1 intra-op and 1 inter-op thread, batch 1, the sample's protocol,
        // no reference models (the table's protocol, see LiveSample.DeviceWith) and no store.
        var device = sample.DeviceWith(1) with { InterOpThreads = 1, Batch = 1 };
        var options = new LatencyProfilerOptions(device.Measure, []);
        var input = sample.Config.Supernet.Input;
        var local = new OrtLatencyProfiler(device, input, options);

        // One fleet (its own Redis and certificates) per configuration: a batch for one agent is never routed through
        // the other configuration's silos, and an idle agent of the other fleet only waits.
        var startClock = Stopwatch.StartNew();
        await using var soloFleet = await AgentFleet.StartAsync(withRedis: true).ConfigureAwait(false);
        await using var pairFleet = await AgentFleet.StartAsync(withRedis: true).ConfigureAwait(false);
        var pairCores = cores >= 2 ? new[] { 0, 1 } : [0];
        await soloFleet.StartAgentAsync("bench-solo", "solo-0", core: 0).ConfigureAwait(false);
        foreach (var core in pairCores)
        {
            await pairFleet.StartAgentAsync("bench-pair", string.Create(CultureInfo.InvariantCulture, $"pair-{core}"), core: core).ConfigureAwait(false);
        }

        var agentsStartS = startClock.Elapsed.TotalSeconds;
        var connectClock = Stopwatch.StartNew();
        await using var solo = await ConnectAsync(run, soloFleet, "bench-solo", device, s.ModelsPerCall, options, Notice, cancellationToken).ConfigureAwait(false);
        await using var pair = await ConnectAsync(run, pairFleet, "bench-pair", device, s.ModelsPerCall, options, Notice, cancellationToken).ConfigureAwait(false);
        var connectS = connectClock.Elapsed.TotalSeconds / 2;
        var profilers = new Dictionary<string, ILatencyProfiler>(StringComparer.Ordinal) { [Solo] = solo, [Pair] = pair, [Local] = local };
        bool IsLocal(string name) => name is Local or LocalAgain;

        // Untimed warm-up on every profiler (JIT, ONNX Runtime's first session, TLS and Orleans' first calls); the pair
        // is warmed until both of its agents have been found, so every timed batch is spread over both.
        var progress = Progress.Start("agents: warm-up and timed batches", 3 + (4 * s.Repetitions));
        var step = 0;
        foreach (var (name, profiler) in profilers)
        {
            await MeasureAsync(profiler, IsLocal(name), warmup, cancellationToken).ConfigureAwait(false);
            progress.Step(++step, $"warm-up {name}");
        }

        for (var attempt = 0; pair.Agents.Count < pairCores.Length && attempt < 10; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            await MeasureAsync(pair, pinned: false, warmup, cancellationToken).ConfigureAwait(false);
        }

        if (pair.Agents.Count < pairCores.Length)
        {
            throw new InvalidOperationException($"The pair's profiler found {pair.Agents.Count} of {pairCores.Length} agents after its warm-up.");
        }

        // What the caller costs when it only holds its connections: the floor under caller_cpu_s.
        var idleBefore = CpuTime.OfProcess(Environment.ProcessId);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        var idleCallerCpu = (CpuTime.OfProcess(Environment.ProcessId) - idleBefore) / 3;

        // Timed batches, the configurations interleaved and their order rotated per repetition, so slow changes of the
        // machine's load hit every configuration alike. Each configuration measures the same fresh models; the local
        // profiler measures them twice, which gives the noise floor of the latency comparison.
        string[] order = [Solo, Pair, Local, LocalAgain];
        var agentPids = new Dictionary<string, IReadOnlyList<(string Id, int Pid)>>(StringComparer.Ordinal)
        {
            [Solo] = [.. soloFleet.Agents.Select(a => (a.Id, a.Process.Id))],
            [Pair] = [.. pairFleet.Agents.Select(a => (a.Id, a.Process.Id))],
            [Local] = [],
            [LocalAgain] = [],
        };
        var timed = new List<Timed>();
        for (var r = 0; r < s.Repetitions; r++)
        {
            for (var k = 0; k < order.Length; k++)
            {
                var name = order[(r + k) % order.Length];
                var load = MachineFacts.LoadAverage().Split(" / ")[0];
                var agentsBefore = agentPids[name].Select(a => CpuTime.OfProcess(a.Pid)).ToList();
                var callerBefore = CpuTime.OfProcess(Environment.ProcessId);
                var gcBefore = GC.CollectionCount(2);
                var (wall, measured) = await MeasureAsync(IsLocal(name) ? local : profilers[name], IsLocal(name), batches[r], cancellationToken).ConfigureAwait(false);
                var callerCpu = CpuTime.OfProcess(Environment.ProcessId) - callerBefore;
                var agentCpu = agentPids[name].Select((a, i) => CpuTime.OfProcess(a.Pid) - agentsBefore[i]).ToList();
                timed.Add(new Timed(r + 1, k + 1, name, wall, measured, load, callerCpu, agentCpu, GC.CollectionCount(2) - gcBefore));
                progress.Step(++step, string.Create(CultureInfo.InvariantCulture, $"rep {r + 1} {name}: {wall:F2} s"));
            }
        }

        var loadAfter = MachineFacts.LoadAverage();
        var header = Header(s, device, cores, pairCores.Length, loadBefore, loadAfter, notices, agentsStartS, connectS, exportMs, modelKilobytes, idleCallerCpu);
        return
        [
            ThroughputTable(timed, s, header, pairCores.Length),
            RepetitionsTable(timed, s),
            OverheadTable(timed, s),
            AgreementTable(timed, device.Measure.Statistic),
        ];
    }

    private static async Task<RemoteLatencyProfiler> ConnectAsync(
        BenchmarkRun run, AgentFleet fleet, string kind, DeviceOptions device, int modelsPerCall, LatencyProfilerOptions options, Action<string> notice, CancellationToken cancellationToken)
    {
        // The product's route: a device profile whose remote: section names the fleet (through its Redis), bound by the
        // config loader; only its remote options are taken, the protocol is the local one.
        var config = run.Sample.Config;
        var text = File.ReadAllText(config.SourcePath);
        var remote = string.Join('\n', fleet.RemoteYaml(kind, modelsPerCall: modelsPerCall).Split('\n').Select(l => "  " + l.TrimEnd('\r')));
        var matches = DeviceLine().Matches(text);
        if (matches.Count != 1)
        {
            throw new InvalidOperationException($"Expected one 'device:' line in {config.SourcePath}, found {matches.Count}.");
        }

        var yaml = Path.Combine(run.WorkFolder, "agents", kind + ".yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(yaml)!);
        File.WriteAllText(yaml, DeviceLine().Replace(text, "device:\n" + remote + "\n", 1));
        var bound = HwNasConfigLoader.Load(yaml).Device.Remote
            ?? throw new InvalidOperationException($"{yaml} has no device.remote section after writing it.");
        if (bound.Kind != kind || bound.ModelsPerCall != modelsPerCall)
        {
            throw new InvalidOperationException($"{yaml} did not bind the remote section the benchmark wrote.");
        }

        return await RemoteLatencyProfiler.ConnectAsync(device with { Remote = bound }, config.Supernet.Input, options, store: null, notice, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Profiles <paramref name="batch"/> and times it; a local batch runs with this process pinned to core 0 (the agents' first core).</summary>
    private static async Task<(double WallS, IReadOnlyList<LatencyMeasurement> Measured)> MeasureAsync(
        ILatencyProfiler profiler, bool pinned, IReadOnlyList<ProfileRequest> batch, CancellationToken cancellationToken)
    {
        var restore = pinned ? Affinity.PinSelf("0") : null;
        try
        {
            var clock = Stopwatch.StartNew();
            var measured = await profiler.ProfileAsync(batch, null, cancellationToken).ConfigureAwait(false);
            var wall = clock.Elapsed.TotalSeconds;
            if (measured.Any(m => m.FromStore))
            {
                throw new InvalidOperationException("A model came from a store: the benchmark measures without one.");
            }

            return (wall, measured);
        }
        finally
        {
            if (restore is not null)
            {
                Affinity.PinSelf(restore);
            }
        }
    }

    private static List<Genome> DistinctGenomes(IElasticFamily family, int count, Random random)
    {
        var sampler = new DepthBalancedSampler(family, new DepthBins(family, 5));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var genomes = new List<Genome>(count);
        while (genomes.Count < count)
        {
            foreach (var genome in sampler.SampleBalanced(count, random).Select(family.Canonicalize))
            {
                if (genomes.Count < count && seen.Add(genome.Key))
                {
                    genomes.Add(genome);
                }
            }
        }

        return genomes;
    }

    private static string Header(
        AgentBenchmarkSettings s,
        DeviceOptions device,
        int cores,
        int pairAgents,
        string loadBefore,
        string loadAfter,
        IReadOnlyList<string> notices,
        double agentsStartS,
        double connectS,
        double exportMs,
        IReadOnlyList<double> modelKilobytes,
        double idleCallerCpu)
    {
        var m = device.Measure;
        var governor = notices.Select(n => GovernorOf().Match(n)).FirstOrDefault(g => g.Success)?.Groups[1].Value ?? "unknown";
        return (
            $"**Machine**: {cores} logical cores, governor {governor}; load average (1/5/15 min) {loadBefore} when the suite started, {loadAfter} when it ended "
            + "(another build may share the machine: the per-repetition load is in agents-repetitions.csv). "
            + $"**Processes**: every agent is a real `hwnas-agent` process (Release) pinned to one core with `taskset -c` — the 1-agent fleet's on core 0, "
            + $"the 2-agent fleet's on cores {string.Join(" and ", Enumerable.Range(0, pairAgents))} — each fleet with its own `redis-server` (membership) and certificates (mutual TLS on loopback); "
            + "the caller is this benchmark process, not pinned, so its RPC work shares the cores with the agents it waits for. The local batches run in this process "
            + "with all its threads pinned to core 0 (`taskset -a -p`) for the batch, the core the single agent uses, and unpinned afterwards. "
            + $"**Settings**: batches of {s.BatchSize} distinct depth-balanced random sub-networks of the sample (seed 23), fresh ones for each of {s.Repetitions} repetitions and the same "
            + $"{s.BatchSize} for every configuration within a repetition; the configurations (1 agent, 2 agents, local, local again) interleaved, their order rotated each repetition. "
            + $"ONNX Runtime CPU, {device.IntraOpThreads} intra-op / {device.InterOpThreads} inter-op thread, batch {device.Batch}; the sample's protocol: {m.Warmup} warm-up + {m.Runs} timed runs in {m.Rounds} rounds, "
            + $"latency = {ConfigChoices.Format(m.Statistic)}; reference_models 0 (no drift checks). Remote: `RemoteLatencyProfiler` with no results store (nothing cached, every model measured), "
            + $"models_per_call {s.ModelsPerCall} (the schema's default), so a 1-agent batch is {(s.BatchSize + s.ModelsPerCall - 1) / s.ModelsPerCall} sequential calls; "
            + $"locally the profiler interleaves up to {OrtLatencyProfiler.MaxModelsPerGroup} models per group. Before timing, each profiler measured {s.WarmupModels} other models untimed "
            + "(JIT, first sessions, TLS). Models: ONNX exported beforehand as LiveEvaluator does (BN folded, not recalibrated), "
            + $"{Stats.Quantile(modelKilobytes, 0):F0}–{Stats.Quantile(modelKilobytes, 1):F0} KB (median {Stats.Quantile(modelKilobytes, 0.5):F0} KB), {exportMs:F1} ms each to export — not in any wall time. "
            + $"Starting the {1 + pairAgents} agents (certificates, Redis, ready line) took {agentsStartS:F1} s, connecting a profiler {connectS:F2} s; neither is in the batch wall times. "
            + $"Idle, with every connection open, this process used {idleCallerCpu * 1000:F0} ms of CPU per second.");
    }

    private static ResultTable ThroughputTable(List<Timed> timed, AgentBenchmarkSettings s, string header, int pairAgents)
    {
        var walls = Walls(timed);
        var soloMedian = Stats.Quantile(walls[Solo], 0.5);
        var perRep = Paired(timed, Solo, Pair);
        string[] Row(string name, string where)
        {
            var w = walls[name];
            var median = Stats.Quantile(w, 0.5);
            var ratios = Paired(timed, Solo, name);
            var split = string.Join(" / ", timed.Where(t => ConfigOf(t) == name).SelectMany(t => t.Measured)
                .GroupBy(m => m.Record.MeasuredBy ?? "this process").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            return
            [
                name,
                where,
                Cell.Of(s.BatchSize),
                Cell.Of(w.Count),
                Cell.Of(median, "F3"),
                $"{Cell.Of(w.Min(), "F3")}–{Cell.Of(w.Max(), "F3")}",
                Cell.Of(Stats.Stdev(w) / Stats.Mean(w) * 100, "F1"),
                Cell.Of(s.BatchSize / median, "F1"),
                Cell.Of(soloMedian / median, "F2"),
                $"{Cell.Of(ratios.Min(), "F2")}–{Cell.Of(ratios.Max(), "F2")}",
                Cell.Of(Stats.Quantile([.. timed.Where(t => ConfigOf(t) == name).Select(t => t.AgentBusy)], 0.5) * 100, "F0"),
                Cell.Of(Stats.Quantile([.. timed.Where(t => ConfigOf(t) == name).Select(t => t.CallerCpuS)], 0.5), "F2"),
                split,
            ];
        }

        var speedup = soloMedian / Stats.Quantile(walls[Pair], 0.5);
        var note = header + " "
            + string.Create(CultureInfo.InvariantCulture, $"**Speed-up of {pairAgents} agents over 1**: {speedup:F2}× (ratio of the median wall times; per repetition {perRep.Min():F2}–{perRep.Max():F2}×); ")
            + (pairAgents < 2 ? "this machine has one core, so the pair is one agent too." : speedup >= 1.7 ? "the target of ≥ 1.7× is met." : "below the target of 1.7×.")
            + " wall_s: `ProfileAsync` of the whole batch (hashing, uploads, remote calls, measuring; locally: sessions and measuring). "
            + "speed-up: the 1-agent median ÷ the row's median; per repetition: the 1-agent wall ÷ the row's wall on the same models. agent_busy_%: the agent processes' CPU time (user + system, /proc) during the batch ÷ (wall time × agents), median over repetitions — "
            + "below 100 % an agent waited (for uploads, calls, the caller) or was preempted by other load; caller_cpu_s: this process's CPU time during the batch (for the local row, the measuring itself). "
            + "models_by: which process measured how many models over all repetitions. The local row counts both local batches of every repetition.";
        return new ResultTable(
            "agents-throughput",
            string.Create(CultureInfo.InvariantCulture, $"Throughput: a batch of {s.BatchSize} sub-networks on 1 vs {pairAgents} agents"),
            note,
            ["configuration", "processes", "models_per_batch", "repetitions", "wall_s_median", "wall_s_min_max", "wall_cv_%", "models_per_s", "speedup_vs_1_agent", "speedup_per_repetition", "agent_busy_%", "caller_cpu_s", "models_by"],
            [
                Row(Solo, "1 hwnas-agent on core 0"),
                Row(Pair, pairAgents == 2 ? "2 hwnas-agent on cores 0, 1" : "1 hwnas-agent on core 0"),
                Row(Local, "this process, pinned to core 0"),
            ]);
    }

    private static ResultTable RepetitionsTable(List<Timed> timed, AgentBenchmarkSettings s) => new(
        "agents-repetitions",
        "Every timed batch",
        "In run order. caller_cpu_s, agent_cpu_s: CPU time of this process and of each agent (in id order) during the batch; caller_gen2_gcs: this process's full garbage collections during it; load_1min: the 1-minute load average just before the batch.",
        ["repetition", "position", "configuration", "models", "wall_s", "models_per_s", "median_latency_ms", "median_session_ms", "caller_cpu_s", "caller_gen2_gcs", "agent_cpu_s", "load_1min"],
        [.. timed.Select(t => new[]
        {
            Cell.Of(t.Repetition), Cell.Of(t.Position), t.Name, Cell.Of(s.BatchSize), Cell.Of(t.WallS, "F3"), Cell.Of(s.BatchSize / t.WallS, "F1"),
            Cell.Of(Stats.Quantile([.. t.Measured.Select(m => m.LatencyMs)], 0.5), "F4"),
            Cell.Of(Stats.Quantile([.. t.Measured.Select(m => m.Record.SessionCreationMs)], 0.5), "F1"), Cell.Of(t.CallerCpuS, "F2"), Cell.Of(t.CallerGen2),
            t.AgentCpuS.Count == 0 ? "—" : string.Join(" / ", t.AgentCpuS.Select(c => Cell.Of(c, "F2"))), t.Load1,
        })]);

    private static ResultTable OverheadTable(List<Timed> timed, AgentBenchmarkSettings s)
    {
        // Per repetition, the same models: local (both batches) vs one agent. Wall per model = batch wall ÷ batch size.
        var local = timed.Where(t => ConfigOf(t) == Local).OrderBy(t => t.Repetition).ToList();
        var remote = timed.Where(t => t.Name == Solo).OrderBy(t => t.Repetition).ToList();
        double LocalWall(int repetition) => local.Where(t => t.Repetition == repetition).Average(t => t.WallS);
        double MedianOver(List<Timed> runs, Func<Timed, double> of) => Stats.Quantile([.. runs.Select(of)], 0.5);
        double PerModel(List<Timed> runs, Func<MeasurementRecordView, double> of) => Stats.Quantile([.. runs.SelectMany(t => t.Measured).Select(m => of(new MeasurementRecordView(m)))], 0.5);
        var localWall = MedianOver(local, t => t.WallS * 1000 / s.BatchSize);
        var remoteWall = MedianOver(remote, t => t.WallS * 1000 / s.BatchSize);
        var paired = remote.Select(r => (r.WallS - LocalWall(r.Repetition)) * 1000 / s.BatchSize).ToList();
        var shares = remote.Select(r => (r.WallS - LocalWall(r.Repetition)) / LocalWall(r.Repetition)).ToList();
        string[] Row(string what, double l, double r, string shareText) =>
            [what, Cell.Of(l, "F3"), Cell.Of(r, "F3"), Cell.Of(r - l, "F3"), shareText];
        var rows = new List<string[]>
        {
            Row("wall time per model", localWall, remoteWall, string.Create(
                CultureInfo.InvariantCulture, $"{Stats.Quantile(shares, 0.5) * 100:F1} % (per repetition {shares.Min() * 100:F1} – {shares.Max() * 100:F1} %)")),
            Row("CPU time of the measuring process", MedianOver(local, t => t.CallerCpuS * 1000 / s.BatchSize), MedianOver(remote, t => t.AgentCpuS.Sum() * 1000 / s.BatchSize), "—"),
            Row("CPU time of the caller (hashing, uploads, calls)", double.NaN, MedianOver(remote, t => t.CallerCpuS * 1000 / s.BatchSize), "—"),
            Row("session creation", PerModel(local, m => m.SessionMs), PerModel(remote, m => m.SessionMs), "—"),
            Row("first (cold) inference", PerModel(local, m => m.FirstMs), PerModel(remote, m => m.FirstMs), "—"),
            Row("latency (the statistic searches use)", PerModel(local, m => m.LatencyMs), PerModel(remote, m => m.LatencyMs), "—"),
        };
        var note = (
            $"The same {s.BatchSize} models per repetition ({remote.Count} repetitions) measured twice by an `OrtLatencyProfiler` in this process (pinned to core 0) and once by one agent "
            + "(pinned to core 0) through `RemoteLatencyProfiler`. Wall time per model: the median over batches of the batch's wall time ÷ its size; "
            + "remote − local is what an agent adds per model — hashing, upload (transfer), serialisation, the remote calls and Orleans' scheduling, and the caller's "
            + "work competing with the agent for the cores — and the last column gives it as a share of the local wall time, i.e. of what measuring itself costs "
            + $"(per repetition, against the mean of its two local batches; median {Stats.Quantile(paired, 0.5):F2} ms per model). CPU time of the measuring process: this process's "
            + "CPU time during a local batch, the agent's during a remote one (/proc, user + system), per model; the caller's CPU time is what this process spent meanwhile. "
            + "Session creation, first inference and latency are medians over every model's own record (on the agent they are taken inside the agent process).");
        return new ResultTable(
            "agents-overhead",
            "Overhead of measuring through an agent, per model (ms)",
            note,
            ["figure", "local_ms", "one_agent_ms", "remote_minus_local_ms", "overhead_share_of_local_wall"],
            rows);
    }

    private static ResultTable AgreementTable(List<Timed> timed, LatencyStatistic statistic)
    {
        var pairAgents = timed.Where(t => t.Name == Pair).SelectMany(t => t.Measured).Select(m => m.Record.MeasuredBy ?? "?").Distinct().Order(StringComparer.Ordinal).ToList();
        string[] Row(string what, string a, string b, string? measuredBy = null)
        {
            var x = new List<double>();
            var y = new List<double>();
            foreach (var rep in timed.Select(t => t.Repetition).Distinct())
            {
                var left = timed.Single(t => t.Repetition == rep && t.Name == a).Measured.ToDictionary(m => m.Request.GenomeKey, m => m.LatencyMs, StringComparer.Ordinal);
                foreach (var m in timed.Single(t => t.Repetition == rep && t.Name == b).Measured.Where(m => measuredBy is null || m.Record.MeasuredBy == measuredBy))
                {
                    x.Add(left[m.Request.GenomeKey]);
                    y.Add(m.LatencyMs);
                }
            }

            var ratios = x.Zip(y, (l, r) => r / l).ToList();
            var quality = QualityMetrics.Evaluate(x, y);
            return
            [
                what,
                Cell.Of(x.Count),
                Cell.Of(Stats.Quantile(ratios, 0.5), "F3"),
                $"{Cell.Of(Stats.Quantile(ratios, 0.1), "F3")}–{Cell.Of(Stats.Quantile(ratios, 0.9), "F3")}",
                Cell.Of(quality.Within10Percent * 100, "F0"),
                Cell.Of(quality.KendallTau, "F3"),
                Cell.Of(QualityMetrics.SpearmanRho(x, y), "F3"),
            ];
        }

        var note = $"Per model, the latency ({ConfigChoices.Format(statistic)}) one measurement gave ÷ what the other gave for the same model in the same repetition. "
            + "The last row is the noise floor: the same models measured twice by the local profiler in the same repetition (pinned to core 0 both times), what measuring again gives anyway. "
            + "The 2-agent rows are measured while both agents run at once, one of them on core 1 (the per-agent rows split them). "
            + "Remote results equal local ones within noise when the first rows look like the last one (median ratio near 1, a similar spread and rank agreement).";
        return new ResultTable(
            "agents-latency-agreement",
            "Do agents measure what this process measures? Latency ratios per model",
            note,
            ["comparison", "models", "median_ratio", "ratio_p10_p90", "within_10_%", "kendall_tau", "spearman_rho"],
            [
                Row("1 agent (core 0) ÷ local (core 0)", Local, Solo),
                Row("2 agents ÷ local", Local, Pair),
                .. pairAgents.Select(id => Row($"2 agents: {id} only ÷ local", Local, Pair, id)),
                Row("2 agents ÷ 1 agent (remote vs remote)", Solo, Pair),
                Row("local again ÷ local (noise floor)", Local, LocalAgain),
            ]);
    }

    /// <summary>The configuration a batch counts for in the throughput and overhead tables: both local batches are local.</summary>
    private static string ConfigOf(Timed timed) => timed.Name == LocalAgain ? Local : timed.Name;

    private static Dictionary<string, List<double>> Walls(List<Timed> timed) =>
        timed.GroupBy(ConfigOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(t => t.WallS).ToList(), StringComparer.Ordinal);

    /// <summary>Per repetition, <paramref name="reference"/>'s wall ÷ <paramref name="name"/>'s.</summary>
    private static List<double> Paired(List<Timed> timed, string reference, string name) =>
        [.. timed.Where(t => ConfigOf(t) == reference).Join(timed.Where(t => ConfigOf(t) == name), t => t.Repetition, t => t.Repetition, (a, b) => a.WallS / b.WallS)];

    [GeneratedRegex(@"^device:\s*$", RegexOptions.Multiline)]
    private static partial Regex DeviceLine();

    [GeneratedRegex(@"governor (\S+)")]
    private static partial Regex GovernorOf();

    private sealed record Timed(
        int Repetition, int Position, string Name, double WallS, IReadOnlyList<LatencyMeasurement> Measured, string Load1, double CallerCpuS, IReadOnlyList<double> AgentCpuS, int CallerGen2)
    {
        /// <summary>The agents' CPU time ÷ (wall time × agents): how much of the batch the agents spent working.</summary>
        public double AgentBusy => AgentCpuS.Count == 0 ? double.NaN : AgentCpuS.Sum() / (WallS * AgentCpuS.Count);
    }

    private readonly record struct MeasurementRecordView(LatencyMeasurement Measurement)
    {
        public double SessionMs => Measurement.Record.SessionCreationMs;

        public double FirstMs => Measurement.Record.FirstInferenceMs;

        public double LatencyMs => Measurement.LatencyMs;
    }
}

/// <summary>CPU time of a process (Linux /proc), user plus system.</summary>
internal static class CpuTime
{
    // USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds <paramref name="pid"/> has used so far (its threads included); NaN where unknown.</summary>
    public static double OfProcess(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));

            // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}

/// <summary>CPU affinity of this whole process (every thread), through <c>taskset</c>.</summary>
internal static class Affinity
{
    /// <summary>Pins every thread of this process to <paramref name="cpus"/> (a taskset list) and returns the list it had before.</summary>
    public static string PinSelf(string cpus)
    {
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var before = Run("-c", "-p", pid);
        var list = before[(before.LastIndexOf(':') + 1)..].Trim();
        Run("-a", "-c", "-p", cpus, pid);
        return list;
    }

    private static string Run(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("taskset", args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("taskset did not start.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"taskset {string.Join(' ', args)} exited {process.ExitCode}: {error.Trim()}");
    }
}
