using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using HwAwareNas.Measurement;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// Measures latency on the device agents of one kind: every batch is split into calls of a few models, spread over
/// all agents of the kind in parallel, each result stored in the caller's results store as soon as it arrives (with
/// the agent that measured it). Models travel by SHA-256, uploaded once per agent, each agent's calls through its own
/// gateway (a pool found through Redis gets one direct connection per agent: Orleans would otherwise route a call through
/// any agent's gateway, and that agent's silo would forward the upload on the core it measures with). An agent that fails mid-call is
/// dropped for the run and its unfinished models go to the others; with none left the profiler waits for one up to
/// the configured wait, then stops (exit code 3) keeping everything measured. Agents whose fingerprint differs from
/// the pool's (another CPU or runtime) are reported and never used.
/// </summary>
/// <remarks>
/// Remote call policy: every call has a timeout (short questions 5 s, uploads 2 min, measurements
/// <see cref="RemoteConnection.CallTimeout"/>). An answer can be lost without an error when a silo on its way dies
/// (Orleans then waits for the whole response timeout: the caller's gateway may be another agent), so short idempotent
/// questions (describe, list, which models are missing, a job's state) are asked up to three times, and uploads and
/// measurements are watched: every 2 s the agent is asked whether it holds the model, or for the job's state; a job it
/// finished (its answer lost) or never received is asked again under the same job id, which the agent answers from
/// memory. An agent that does not answer those questions, or whose call fails with a transport error, a timeout or a
/// rejection, is dropped and its models re-dispatched to another agent (so a model is never measured twice on
/// purpose); a model the agent evicted is uploaded and asked once more.
/// </remarks>
public sealed class RemoteLatencyProfiler : ILatencyProfiler, IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = RemoteCalls.PollInterval;
    private static readonly TimeSpan QuestionTimeout = RemoteCalls.QuestionTimeout;

    private readonly ClusterMembers _members;
    private readonly DeviceOptions _device;
    private readonly InputShape _input;
    private readonly LatencyProfilerOptions _options;
    private readonly RemoteDeviceOptions _remote;
    private readonly ResultsStore? _store;
    private readonly Action<string> _notice;
    private readonly Dictionary<string, AgentDescription> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _uploaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _excluded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _batch = new(1, 1);
    private DeviceFingerprint? _fingerprint;

    private RemoteLatencyProfiler(
        AgentConnection connection, DeviceOptions device, InputShape input, LatencyProfilerOptions options, ResultsStore? store, Action<string> notice)
    {
        _remote = device.Remote!;
        _members = new ClusterMembers(connection, ClusterAddress.Of(_remote), notice);

        // Agents need the protocol, not where the caller found it.
        _device = device with { Remote = null, ProfilePath = null };
        _input = input;
        _options = options;
        _store = store;
        _notice = notice;
    }

    /// <inheritdoc />
    public DeviceFingerprint Fingerprint => _fingerprint ?? throw new InvalidOperationException("Not connected.");

    /// <summary>The agents measuring for this profiler now (id → description).</summary>
    public IReadOnlyDictionary<string, AgentDescription> Agents => _agents;

    /// <summary>Agents of the kind that were found but not used, with the reason (another fingerprint).</summary>
    public IReadOnlyDictionary<string, string> Excluded => _excluded;

    /// <summary>
    /// Connects to the pool <paramref name="device"/>'s <c>remote</c> section names and waits (up to its wait) for at
    /// least one agent of its kind; the pool's fingerprint is the one most of its agents share.
    /// </summary>
    /// <param name="device">The device profile; its <see cref="DeviceOptions.Remote"/> must be set.</param>
    /// <param name="input">Input shape of the models.</param>
    /// <param name="options">The measurement protocol and reference models.</param>
    /// <param name="store">The caller's results store (the one record of every measurement), or null.</param>
    /// <param name="notice">Where one-line notices go (agents found, lost, excluded).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="HwNasException">No agent of the kind answered within the wait (exit code 3), or the TLS files are unusable.</exception>
    public static async Task<RemoteLatencyProfiler> ConnectAsync(
        DeviceOptions device,
        InputShape input,
        LatencyProfilerOptions options,
        ResultsStore? store,
        Action<string> notice,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notice);
        var remote = device.Remote ?? throw new ArgumentException("The device profile names no remote agents.", nameof(device));
        var connection = await AgentConnection.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        var profiler = new RemoteLatencyProfiler(connection, device, input, options, store, notice);
        try
        {
            await profiler.WaitForAgentsAsync(Stopwatch.StartNew(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await profiler.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return profiler;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LatencyMeasurement>> ProfileAsync(
        IReadOnlyList<ProfileRequest> models,
        IProgress<ProfileProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        await _batch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var batch = new ProfileBatch(models, KeyOf, _store, _options.Measure.Statistic);
            if (batch.Done > 0)
            {
                progress?.Report(new ProfileProgress(batch.Done, batch.Count, clock.Elapsed, batch.Pending.Count == 0 ? TimeSpan.Zero : null, string.Empty));
            }

            if (batch.Pending.Count > 0)
            {
                _store?.SaveDevice(Fingerprint);
                await DispatchAsync(batch, progress, clock, cancellationToken).ConfigureAwait(false);
            }

            return batch.Results();
        }
        finally
        {
            _batch.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _members.DisposeAsync().ConfigureAwait(false);
        _batch.Dispose();
    }

    private Task DispatchAsync(ProfileBatch batch, IProgress<ProfileProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var references = _options.ReferenceModels.Select(r => new Shipment(r, Hash(r.Model))).ToList();
        var work = new WorkQueue<Shipment[]>(batch.Pending.Select(r => new Shipment(r, Hash(r.Model))).Chunk(ModelsPerCall(batch.Pending.Count)));
        var measuredBefore = batch.Done;
        return MemberDispatch.RunAsync<string>(
            () => !work.IsEmpty,
            () => _agents.Keys,
            (agent, token) => RunAgentAsync(agent, work, references, batch, progress, clock, measuredBefore, token),
            () =>
            {
                _notice($"no agent of kind '{_remote.Kind}' is left; waiting up to {_remote.Connection.Wait.TotalSeconds:0} s for one ({batch.Done} of {batch.Count} measured)");
                return WaitForAgentsAsync(Stopwatch.StartNew(), cancellationToken, batch);
            },
            () => DiscoverAsync(cancellationToken),
            (agentId, fault) =>
            {
                // An agent fault (a fatal error, such as a model refused or rejected, throws and ends the batch instead).
                var agent = _agents[agentId];
                _agents.Remove(agentId);
                _members.MarkGone(agentId);
                _notice($"agent {agentId} ({agent.Kind}) failed mid-batch ({fault}); its unfinished models go to the other agents");
            },
            cancellationToken);
    }

    /// <summary>
    /// Models per call. An agent ends every call with the drift check (its results must be covered by a passing check
    /// before they are returned, as locally at the end of a batch), so with reference models a call takes each agent's
    /// share of the batch (at most reference_every models): the check is paid once per agent per batch, as a local
    /// batch pays it once, instead of once every models_per_call models.
    /// </summary>
    private int ModelsPerCall(int pending)
    {
        if (_options.ReferenceModels.Count == 0)
        {
            return _remote.ModelsPerCall;
        }

        var share = (int)Math.Ceiling(pending / (double)Math.Max(1, _agents.Count));
        return Math.Max(_remote.ModelsPerCall, Math.Min(share, Math.Max(1, _options.Measure.ReferenceEvery)));
    }

    /// <summary>Measures chunks on one agent until the queue is empty (null) or the agent fails (the reason).</summary>
    private async Task<string?> RunAgentAsync(
        string agentId,
        WorkQueue<Shipment[]> work,
        IReadOnlyList<Shipment> references,
        ProfileBatch batch,
        IProgress<ProfileProgress>? progress,
        Stopwatch clock,
        int measuredBefore,
        CancellationToken cancellationToken)
    {
        var client = _members.ClientFor(agentId);
        var grain = client.GetGrain<IDeviceAgentGrain>(AgentKey.Of(_remote.Kind, agentId));
        var uploaded = _uploaded[agentId];
        while (work.TryTake(out var chunk))
        {
            try
            {
                var records = await MeasureOnAgentAsync(grain, agentId, uploaded, references, chunk, cancellationToken).ConfigureAwait(false);
                ProfileProgress report;
                lock (batch)
                {
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        _store?.SaveMeasurement(records[i]);
                        batch.Complete(chunk[i].Request, records[i], []);
                    }

                    var perModel = clock.Elapsed / Math.Max(1, batch.Done - measuredBefore);
                    report = new ProfileProgress(batch.Done, batch.Count, clock.Elapsed, perModel * (batch.Count - batch.Done), chunk[^1].Request.GenomeKey);
                }

                progress?.Report(report);
            }
            catch (Exception ex) when (IsAgentFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                work.Return(chunk);
                return $"{ex.GetType().Name}: {RemoteCalls.FirstLine(ex.Message)}";
            }
        }

        return null;
    }

    private async Task<MeasurementRecord[]> MeasureOnAgentAsync(
        IDeviceAgentGrain grain, string agentId, HashSet<string> uploaded, IReadOnlyList<Shipment> references, Shipment[] chunk, CancellationToken cancellationToken)
    {
        var job = new MeasureJob(
            _device,
            _input,
            _options.Metric,
            [.. references.Select(r => r.Reference)],
            [.. chunk.Select(s => s.Reference)],
            NewJobId());
        await UploadAsync(grain, agentId, uploaded, [.. references, .. chunk], cancellationToken).ConfigureAwait(false);
        var reply = await MeasureWatchedAsync(grain, job, cancellationToken).ConfigureAwait(false);
        if (reply.MissingModels.Length > 0)
        {
            // Evicted between upload and measurement (the agent's cache is shared by its callers): once more.
            uploaded.ExceptWith(reply.MissingModels);
            await UploadAsync(grain, agentId, uploaded, [.. references, .. chunk], cancellationToken).ConfigureAwait(false);
            reply = await MeasureWatchedAsync(grain, job with { JobId = NewJobId() }, cancellationToken).ConfigureAwait(false);
        }

        if (reply.Records.Length != chunk.Length)
        {
            throw new TimeoutException($"agent {agentId} answered {reply.Records.Length} measurements for {chunk.Length} models");
        }

        for (var i = 0; i < chunk.Length; i++)
        {
            // A measurement is kept only under the key it was asked for: the pool's fingerprint (kind included).
            if (reply.Records[i].Key != KeyOf(chunk[i].Request))
            {
                throw new FingerprintChangedException(
                    $"agent {agentId} measured under fingerprint {reply.Records[i].Key.FingerprintKey}, not the pool's {Fingerprint.Key}");
            }
        }

        return reply.Records;
    }

    /// <summary>
    /// One measurement call, watched: while it runs, the agent is asked for the job's state every <see cref="PollInterval"/>.
    /// A job the agent finished but whose answer did not come (lost with a silo on its way), or that it does not know
    /// twice in a row (the call was lost before it arrived), is asked again under the same id: the agent answers a job
    /// it remembers from memory, so nothing is measured twice. An agent that does not answer the questions has failed.
    /// </summary>
    /// <exception cref="TimeoutException">The job took longer than <see cref="RemoteConnection.CallTimeout"/>, or the agent stopped answering.</exception>
    private Task<MeasureReply> MeasureWatchedAsync(IDeviceAgentGrain grain, MeasureJob job, CancellationToken cancellationToken) =>
        RemoteCalls.WatchJobAsync(
            () => grain.MeasureAsync(job),
            () => grain.JobStateAsync(job.JobId),
            _remote.Connection.CallTimeout,
            string.Create(CultureInfo.InvariantCulture, $"no answer to a measurement in {_remote.Connection.CallTimeout.TotalSeconds:0} s (device.remote.call_timeout)"),
            cancellationToken);

    /// <summary>
    /// Sends one model, watched like a measurement: every <see cref="PollInterval"/> the agent is asked whether it holds
    /// the model (then the upload arrived, whatever became of its answer). An upload with no answer in
    /// <see cref="UploadTimeout"/> is sent once more; an agent that does not answer the questions has failed.
    /// </summary>
    private static async Task<UploadReply> UploadWatchedAsync(IDeviceAgentGrain grain, string sha256, byte[] bytes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var upload = RemoteCalls.Observed(grain.UploadModelAsync(sha256, bytes));
        var sent = 1;
        while (true)
        {
            var left = UploadTimeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                if (sent == 2)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no answer to an upload in {UploadTimeout.TotalSeconds:0} s, twice"));
                }

                upload = RemoteCalls.Observed(grain.UploadModelAsync(sha256, bytes));
                sent++;
                clock.Restart();
                continue;
            }

            var poll = Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken);
            if (await Task.WhenAny(upload, poll).ConfigureAwait(false) == upload)
            {
                return await upload.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if ((await RemoteCalls.AskAsync(() => grain.MissingModelsAsync([sha256]), cancellationToken).ConfigureAwait(false)).Length == 0)
            {
                return new UploadReply(null);
            }
        }
    }

    private static string NewJobId() => Guid.NewGuid().ToString("N");

    /// <summary>Sends the models <paramref name="known"/> does not list and the agent lacks, after asking it which it lacks.</summary>
    private async Task UploadAsync(
        IDeviceAgentGrain grain, string agentId, HashSet<string> known, IReadOnlyList<Shipment> shipments, CancellationToken cancellationToken)
    {
        var unknown = shipments.Where(s => !known.Contains(s.Reference.Sha256)).DistinctBy(s => s.Reference.Sha256).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var missing = (await RemoteCalls.AskAsync(() => grain.MissingModelsAsync([.. unknown.Select(s => s.Reference.Sha256)]), cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var shipment in unknown)
        {
            if (missing.Contains(shipment.Reference.Sha256))
            {
                var bytes = Bytes(shipment.Request.Model);
                var reply = await UploadWatchedAsync(grain, shipment.Reference.Sha256, bytes, cancellationToken).ConfigureAwait(false);
                if (reply.Refusal is { } refusal)
                {
                    throw new HwNasException(
                        $"Agent {agentId} ({_remote.Kind}) refused the model of '{shipment.Request.GenomeKey}': {refusal}.",
                        ExitCode.RuntimeRejected);
                }
            }

            known.Add(shipment.Reference.Sha256);
        }
    }

    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Adds agents of the kind that joined (and are not known, gone or excluded); transport errors mean none this time.</summary>
    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        AgentListing[] listings;
        try
        {
            // Asked once: a lost answer only delays the next discovery.
            listings = await _members.Cluster.GetGrain<IAgentDirectoryGrain>(0).ListAsync().WaitAsync(QuestionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsAgentFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var fresh = listings
            .Where(l => l.Kind == _remote.Kind && l.Role == AgentKey.MeasureRole)
            .Where(l => !_agents.ContainsKey(l.AgentId) && !_excluded.ContainsKey(l.AgentId))
            .Where(l => !_members.IsResting(l.AgentId))
            .ToList();
        var described = new List<(AgentListing Listing, AgentDescription Description)>();
        foreach (var listing in fresh)
        {
            try
            {
                described.Add((listing, await _members.Cluster.GetGrain<IDeviceAgentGrain>(listing.GrainKey).DescribeAsync(_device, _input)
                    .WaitAsync(QuestionTimeout, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception ex) when (IsAgentFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                _notice($"agent {listing.AgentId} ({listing.Kind}) did not answer ({RemoteCalls.FirstLine(ex.Message)}); trying again later");
            }
        }

        // The first agents seen decide the pool's fingerprint: the one most of them share (ties: the first by id).
        _fingerprint ??= described
            .Select(d => d.Description)
            .GroupBy(d => d.Fingerprint.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(d => d.AgentId), StringComparer.Ordinal)
            .Select(g => g.First().Fingerprint)
            .FirstOrDefault();
        foreach (var (listing, description) in described)
        {
            if (description.Fingerprint.Key == _fingerprint!.Key)
            {
                await _members.ConnectDirectlyAsync(listing, $"agent {listing.AgentId} ({listing.Kind})", cancellationToken).ConfigureAwait(false);
                _agents[description.AgentId] = description;
                _uploaded[description.AgentId] = new HashSet<string>(StringComparer.Ordinal);
                var back = _members.Readmit(description.AgentId) ? "answers again, back in the pool: " : string.Empty;
                _notice(string.Create(
                    CultureInfo.InvariantCulture,
                    $"agent {description.AgentId} ({description.Kind}): {back}{description.Fingerprint.CpuModel}, {description.Fingerprint.LogicalCores} cores, {description.Architecture}, {description.Fingerprint.RuntimeVersion}, governor {description.CpuGovernor}"));
            }
            else
            {
                var reason = $"fingerprint {description.Fingerprint.Key} differs from the pool's {_fingerprint.Key} " +
                    $"({Difference(description.Fingerprint, _fingerprint)}); its measurements would not be comparable";
                _excluded[description.AgentId] = reason;
                _notice($"agent {description.AgentId} ({description.Kind}) not used: {reason}");
            }
        }
    }

    private async Task WaitForAgentsAsync(Stopwatch clock, CancellationToken cancellationToken, ProfileBatch? batch = null)
    {
        while (true)
        {
            await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            if (_agents.Count > 0)
            {
                return;
            }

            if (clock.Elapsed >= _remote.Connection.Wait)
            {
                var progress = batch is null ? string.Empty : $" {batch.Done} of {batch.Count} models of this batch are measured and stored; a rerun measures only the rest.";
                var excluded = _excluded.Count == 0 ? string.Empty : $" Not used: {string.Join("; ", _excluded.Select(e => $"{e.Key}: {e.Value}"))}.";
                throw new HwNasException(
                    $"No agent of device kind '{_remote.Kind}' is reachable (waited {_remote.Connection.Wait.TotalSeconds:0} s, device.remote.wait).{excluded}{progress}",
                    ExitCode.MissingInput);
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private MeasurementKey KeyOf(ProfileRequest request) =>
        new(Fingerprint.Key, request.Family, request.SettingsHash, request.GenomeKey, _options.Metric);

    // Transport failures, rejections, timeouts and a changed fingerprint are the agent's; anything else (a model the
    // runtime rejects, a refused upload) would fail on every agent and ends the batch.
    private static bool IsAgentFault(Exception ex) =>
        RemoteCalls.IsMemberFault(ex) || ex is FingerprintChangedException;

    private static string Difference(DeviceFingerprint a, DeviceFingerprint b)
    {
        var left = a.CanonicalText.Split('\n');
        var right = b.CanonicalText.Split('\n');
        return string.Join(", ", left.Zip(right).Where(p => p.First != p.Second).Select(p => $"{p.First} vs {p.Second.Split('=', 2).Last()}"));
    }


    private static byte[] Bytes(OnnxModel model) => model.Bytes ?? File.ReadAllBytes(model.FilePath!);

    private static string Hash(OnnxModel model) => Agent.ModelCache.HashOf(Bytes(model));

    /// <summary>A model on its way to agents: the request and its content-addressed reference.</summary>
    private sealed record Shipment(ProfileRequest Request, ModelReference Reference)
    {
        public Shipment(ProfileRequest request, string sha256)
            : this(request, new ModelReference(sha256, request.GenomeKey, request.Family, request.SettingsHash))
        {
        }
    }

    /// <summary>An agent answered under another fingerprint than the one it announced (its device or runtime changed).</summary>
    private sealed class FingerprintChangedException(string message) : Exception(message);
}
