using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// Validates accuracy on validator silos and, by default, on this machine too: every batch's new genomes are handed out
/// one at a time to whichever validator (or the local one) is free, each result stored in the results store as it
/// arrives (under the same key as local validations, so no genome is validated twice, also across runs). The inputs go
/// to each validator by SHA-256 once (chunked uploads) or through a shared folder; a validator that refuses them (its
/// copy hashes differently) is reported and not used. A validator that fails mid-batch (killed, unreachable, too slow) is
/// dropped and its genome goes back to the queue for the others; one that answers again after 30 s is taken back.
/// </summary>
/// <remarks>
/// Remote call policy (<see cref="RemoteCalls"/>, as the latency profiler's): questions (describe, list, prepare,
/// job state) time out after 5 s and are asked up to three times; chunk uploads time out after 2 minutes; a validation
/// is watched every 2 s and given up after <see cref="RemoteConnection.CallTimeout"/>; a job finished but whose
/// answer was lost is asked again under the same id and answered from the validator's memory.
/// </remarks>
internal sealed class DistributedAccuracyEvaluator : IEvaluator, IAsyncDisposable
{
    /// <summary>The name results validated on this machine are counted under.</summary>
    public const string LocalName = "local";

    private const int ChunkBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(2);

    private readonly ClusterMembers _members;
    private readonly RemoteValidationOptions _remote;
    private readonly ValidationSetup _setup;
    private readonly IReadOnlyDictionary<string, string> _files;
    private readonly ISearchSpace _space;
    private readonly ResultsStore _store;
    private readonly string _checkpointHash;
    private readonly string _datasetKey;
    private readonly Func<Genome, double>? _local;
    private readonly Action<string> _notice;
    private readonly Dictionary<string, ValidatorDescription> _validators = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _prepared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _excluded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _validatedBy = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _batch = new(1, 1);
    private readonly Lock _results = new();

    private DistributedAccuracyEvaluator(
        AgentConnection connection,
        RemoteValidationOptions remote,
        ValidationSetup setup,
        IReadOnlyDictionary<string, string> files,
        ISearchSpace space,
        AccuracyScope scope,
        Func<Genome, double>? local,
        Action<string> notice)
    {
        _remote = remote;
        _members = new ClusterMembers(connection, ClusterAddress.Of(remote), notice);
        _setup = setup with { Shared = remote.Shared };
        _files = files;
        _space = space;
        _store = scope.Store;
        _checkpointHash = scope.CheckpointHash;
        _datasetKey = scope.DatasetKey;
        _local = local;
        _notice = notice;
    }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy];

    /// <summary>Validations actually performed in this run (locally and remotely; not those read from the store).</summary>
    public int Validations { get; private set; }

    /// <summary>Validations performed per validator id (<see cref="LocalName"/> for this machine).</summary>
    public IReadOnlyDictionary<string, int> ValidatedBy => _validatedBy;

    /// <summary>The validators in use now (id → description).</summary>
    public IReadOnlyDictionary<string, ValidatorDescription> Validators => _validators;

    /// <summary>Validators found but not used, with the reason (they refused the inputs).</summary>
    public IReadOnlyDictionary<string, string> Excluded => _excluded;

    /// <summary>
    /// Connects to the validators <paramref name="remote"/> names; without <paramref name="local"/>, waits (up to its
    /// wait) for one. With a shared folder, the inputs are placed there first.
    /// </summary>
    /// <param name="remote">The validators.</param>
    /// <param name="setup">What to validate under (its inputs hashed); its shared folder is taken from <paramref name="remote"/>.</param>
    /// <param name="files">The input files on this machine, by role.</param>
    /// <param name="space">The search space (genomes are validated in canonical form).</param>
    /// <param name="scope">Where accuracies are stored, and under which checkpoint and dataset keys.</param>
    /// <param name="local">Validates one genome on this machine, or null when this machine does not validate.</param>
    /// <param name="notice">Where one-line notices go (validators found, lost, refused).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="HwNasException">The cluster cannot be reached (exit code 3), or the TLS files or shared folder are unusable.</exception>
    public static async Task<DistributedAccuracyEvaluator> ConnectAsync(
        RemoteValidationOptions remote,
        ValidationSetup setup,
        IReadOnlyDictionary<string, string> files,
        ISearchSpace space,
        AccuracyScope scope,
        Func<Genome, double>? local,
        Action<string> notice,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(notice);
        if (remote.Shared is { } shared)
        {
            SharedInputs.Publish(shared, setup.Inputs, files);
        }

        var connection = await AgentConnection.ConnectAsync(ClusterAddress.Of(remote), cancellationToken).ConfigureAwait(false);
        var evaluator = new DistributedAccuracyEvaluator(connection, remote, setup, files, space, scope, local, notice);
        try
        {
            if (local is null)
            {
                await evaluator.WaitForValidatorsAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await evaluator.DiscoverAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await evaluator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return evaluator;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        await _batch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var canonical = genomes.Select(_space.Canonicalize).ToList();
            var accuracies = new Dictionary<string, double>(StringComparer.Ordinal);
            var pending = new List<Genome>();
            foreach (var genome in canonical.DistinctBy(g => g.Key))
            {
                if (_store.TryGetAccuracy(_checkpointHash, genome.Key, _datasetKey) is { } stored)
                {
                    accuracies[genome.Key] = stored.Value;
                }
                else
                {
                    pending.Add(genome);
                }
            }

            if (pending.Count > 0)
            {
                await DispatchAsync(new WorkQueue<Genome>(pending), accuracies, pending.Count, cancellationToken).ConfigureAwait(false);
            }

            return [.. canonical.Select(g => new EvaluatedCandidate(g, [accuracies[g.Key]], EvaluationOrigin.Measured))];
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

    private Task DispatchAsync(WorkQueue<Genome> work, Dictionary<string, double> accuracies, int count, CancellationToken cancellationToken) =>
        MemberDispatch.RunAsync<ValidatorFault>(
            () => !work.IsEmpty,
            () => _local is null ? _validators.Keys : [LocalName, .. _validators.Keys],
            (worker, token) => worker == LocalName ? RunLocallyAsync(work, accuracies, token) : RunOnValidatorAsync(worker, work, accuracies, token),
            () =>
            {
                _notice(string.Create(CultureInfo.InvariantCulture, $"no validator is left; waiting up to {_remote.Connection.Wait.TotalSeconds:0} s for one ({accuracies.Count} of {count} validated)"));
                return WaitForValidatorsAsync(cancellationToken, accuracies.Count, count);
            },
            () => DiscoverAsync(cancellationToken),
            (worker, fault) =>
            {
                // A validator that refuses this run's inputs is left out of it; one that fails is marked gone. (This
                // machine's own failures throw and end the batch.)
                _validators.Remove(worker);
                _prepared.TryRemove(worker, out _);
                if (fault.Refused)
                {
                    _excluded[worker] = fault.Reason;
                    _notice($"validator {worker} not used: it refuses this run's inputs: {fault.Reason}");
                }
                else
                {
                    _members.MarkGone(worker);
                    _notice($"validator {worker} failed mid-batch ({fault.Reason}); its sub-network goes to the others");
                }
            },
            cancellationToken);

    /// <summary>Validates genomes on this machine until the queue is empty.</summary>
    private async Task<ValidatorFault?> RunLocallyAsync(WorkQueue<Genome> work, Dictionary<string, double> accuracies, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && work.TryTake(out var genome))
        {
            var accuracy = await Task.Run(() => _local!(genome), CancellationToken.None).ConfigureAwait(false);
            Complete(genome, accuracy, LocalName, accuracies);
        }

        return null;
    }

    /// <summary>Validates genomes on one validator until the queue is empty (null) or the validator fails or refuses (the reason).</summary>
    private async Task<ValidatorFault?> RunOnValidatorAsync(string validatorId, WorkQueue<Genome> work, Dictionary<string, double> accuracies, CancellationToken cancellationToken)
    {
        var client = _members.ClientFor(validatorId);
        var grain = client.GetGrain<IValidatorGrain>(validatorId);
        Genome? current = null;
        try
        {
            await PrepareAsync(grain, validatorId, cancellationToken).ConfigureAwait(false);
            while (work.TryTake(out var genome))
            {
                current = genome;
                var reply = await ValidateWatchedAsync(grain, genome, cancellationToken).ConfigureAwait(false);
                if (reply.MissingInputs.Length > 0)
                {
                    // Its cache lost an input since it was prepared: send it again, ask once more.
                    _prepared.TryRemove(validatorId, out _);
                    await PrepareAsync(grain, validatorId, cancellationToken).ConfigureAwait(false);
                    reply = await ValidateWatchedAsync(grain, genome, cancellationToken).ConfigureAwait(false);
                }

                if (reply.Refusal is { } refusal)
                {
                    throw new RefusedException(refusal);
                }

                Complete(genome, reply.Accuracy ?? throw new TimeoutException($"validator {validatorId} still lacks inputs after they were sent"), validatorId, accuracies);
                current = null;
            }

            return null;
        }
        catch (RefusedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Return(work, current);
            return new ValidatorFault(ex.Message, Refused: true);
        }
        catch (Exception ex) when (RemoteCalls.IsMemberFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            Return(work, current);
            return new ValidatorFault($"{ex.GetType().Name}: {RemoteCalls.FirstLine(ex.Message)}", Refused: false);
        }
        catch (OperationCanceledException)
        {
            Return(work, current);
            throw;
        }
    }

    private static void Return(WorkQueue<Genome> work, Genome? genome)
    {
        if (genome is not null)
        {
            work.Return(genome);
        }
    }

    private Task<ValidationReply> ValidateWatchedAsync(IValidatorGrain grain, Genome genome, CancellationToken cancellationToken)
    {
        var job = new ValidationJob(_setup, genome.Key, [.. genome.Choices], Guid.NewGuid().ToString("N"));
        return RemoteCalls.WatchJobAsync(
            () => grain.ValidateAsync(job),
            () => grain.JobStateAsync(job.JobId),
            _remote.Connection.CallTimeout,
            string.Create(CultureInfo.InvariantCulture, $"no answer to a validation in {_remote.Connection.CallTimeout.TotalSeconds:0} s (validation.remote.call_timeout)"),
            cancellationToken);
    }

    /// <summary>Stores one result, once: a genome re-dispatched after its validator was dropped counts only the first time.</summary>
    private void Complete(Genome genome, double accuracy, string by, Dictionary<string, double> accuracies)
    {
        lock (_results)
        {
            if (!accuracies.TryAdd(genome.Key, accuracy))
            {
                return;
            }

            _store.SaveAccuracy(new AccuracyRecord(_checkpointHash, genome.Key, _datasetKey, accuracy, DateTimeOffset.UtcNow));
            Validations++;
            _validatedBy[by] = _validatedBy.GetValueOrDefault(by) + 1;
        }
    }

    /// <summary>Makes sure the validator holds every input: it names what it lacks, which is uploaded in chunks.</summary>
    private async Task PrepareAsync(IValidatorGrain grain, string validatorId, CancellationToken cancellationToken)
    {
        if (_prepared.ContainsKey(validatorId))
        {
            return;
        }

        var reply = await RemoteCalls.AskAsync(() => grain.PrepareAsync(_setup), cancellationToken).ConfigureAwait(false);
        if (reply.Refusal is { } refusal)
        {
            throw new RefusedException(refusal);
        }

        foreach (var input in _setup.Inputs.Where(i => reply.MissingInputs.Contains(i.Sha256)).DistinctBy(i => i.Sha256))
        {
            await UploadAsync(grain, input, cancellationToken).ConfigureAwait(false);
        }

        if (reply.MissingInputs.Length > 0)
        {
            _notice(string.Create(CultureInfo.InvariantCulture, $"validator {validatorId}: sent {reply.MissingInputs.Length} input file(s) it lacked"));
        }

        _prepared[validatorId] = true;
    }

    /// <summary>Sends one input in chunks, from where the validator's copy stands (a chunk sent twice is ignored there).</summary>
    private async Task UploadAsync(IValidatorGrain grain, ValidationInput input, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(_files[input.Role]);
        var buffer = new byte[ChunkBytes];
        long offset = 0;
        while (offset < input.Length)
        {
            stream.Position = offset;
            var read = await stream.ReadAtLeastAsync(buffer, (int)Math.Min(ChunkBytes, input.Length - offset), throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var reply = await RemoteCalls.Observed(grain.UploadChunkAsync(input, offset, buffer[..read])).WaitAsync(UploadTimeout, cancellationToken).ConfigureAwait(false);
            if (reply.Refusal is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            if (reply.Received == offset)
            {
                throw new TimeoutException($"the validator took none of a chunk of '{input.FileName}'");
            }

            // Where the validator's copy stands: further on (a chunk it had), or back (it lost a partial upload).
            offset = reply.Received;
        }
    }

    /// <summary>Adds validators that joined (and are not known, gone or excluded); transport errors mean none this time.</summary>
    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        AgentListing[] listings;
        try
        {
            // Asked once: a lost answer only delays the next discovery.
            listings = await _members.Cluster.GetGrain<IAgentDirectoryGrain>(0).ListAsync().WaitAsync(RemoteCalls.QuestionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RemoteCalls.IsMemberFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        foreach (var listing in listings.Where(l => l.Role == AgentKey.ValidatorRole))
        {
            var id = listing.AgentId;
            if (_validators.ContainsKey(id) || _excluded.ContainsKey(id) || _members.IsResting(id))
            {
                continue;
            }

            try
            {
                await _members.ConnectDirectlyAsync(listing, $"validator {id}", cancellationToken).ConfigureAwait(false);
                var client = _members.ClientFor(id);
                var description = await client.GetGrain<IValidatorGrain>(id).DescribeAsync().WaitAsync(RemoteCalls.QuestionTimeout, cancellationToken).ConfigureAwait(false);
                _validators[id] = description;
                var back = _members.Readmit(id) ? "answers again, back in the pool: " : string.Empty;
                _notice(string.Create(
                    CultureInfo.InvariantCulture,
                    $"validator {id}: {back}{description.CpuModel}, {description.Threads} of {description.LogicalCores} cores"));
            }
            catch (Exception ex) when (RemoteCalls.IsMemberFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                _notice($"validator {id} did not answer ({RemoteCalls.FirstLine(ex.Message)}); trying again later");
            }
        }
    }

    private async Task WaitForValidatorsAsync(CancellationToken cancellationToken, int done = 0, int count = 0)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            if (_validators.Count > 0)
            {
                return;
            }

            if (clock.Elapsed >= _remote.Connection.Wait)
            {
                var progress = count == 0 ? string.Empty : $" {done} of {count} sub-networks of this batch are validated and stored; a rerun validates only the rest.";
                var excluded = _excluded.Count == 0 ? string.Empty : $" Not used: {string.Join("; ", _excluded.Select(e => $"{e.Key}: {e.Value}"))}.";
                throw new HwNasException(
                    $"No validator is reachable (waited {_remote.Connection.Wait.TotalSeconds:0} s, validation.remote.wait) and this machine does not validate (validation.local: false).{excluded}{progress}",
                    ExitCode.MissingInput);
            }

            await Task.Delay(RemoteCalls.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }


    /// <summary>Why a validator stopped taking work: it failed (taken back once it answers again) or refused the inputs (not used this run).</summary>
    private sealed record ValidatorFault(string Reason, bool Refused);

    /// <summary>A validator will not validate this run's inputs (its copy hashes differently, or it cannot load them).</summary>
    private sealed class RefusedException(string message) : Exception(message);
}

/// <summary>Where validated accuracies are stored: the caller's results store, under the checkpoint's and the dataset's keys.</summary>
/// <param name="Store">The results store.</param>
/// <param name="CheckpointHash">The checkpoint's SHA-256.</param>
/// <param name="DatasetKey">The dataset's key (files, split sizes, seed, normalisation).</param>
internal sealed record AccuracyScope(ResultsStore Store, string CheckpointHash, string DatasetKey);
