namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// The caller's loop that spreads one batch of work over a cluster's members (device agents, validators): every idle
/// member takes work while any is left, members that join (or answer again) mid-batch are looked for every
/// <see cref="DiscoveryInterval"/> and take work as soon as they are found, a member whose worker returns a fault is
/// handed to <c>failed</c> (its unfinished work is back in the queue for the others), and with no member running the
/// caller waits for one. The first error a worker throws ends the batch; the other workers are then cancelled and
/// awaited, so none outlives the batch.
/// </summary>
internal static class MemberDispatch
{
    /// <summary>How often a running batch looks for members that joined.</summary>
    public static readonly TimeSpan DiscoveryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs workers until the work is done and every worker has returned.</summary>
    /// <typeparam name="TFault">What a worker returns when its member failed (null: the queue is empty).</typeparam>
    /// <param name="hasWork">Whether work is left in the queue.</param>
    /// <param name="members">The members that can take work now, in the order they are offered it.</param>
    /// <param name="start">Starts a worker that takes work from the queue on one member until it is empty or the member fails.</param>
    /// <param name="waitForMembers">Waits until a member is there (or throws when none comes in time).</param>
    /// <param name="discover">Looks for members that joined or answer again.</param>
    /// <param name="failed">Drops a member whose worker returned a fault.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    public static async Task RunAsync<TFault>(
        Func<bool> hasWork,
        Func<IEnumerable<string>> members,
        Func<string, CancellationToken, Task<TFault?>> start,
        Func<Task> waitForMembers,
        Func<Task> discover,
        Action<string, TFault> failed,
        CancellationToken cancellationToken)
        where TFault : class
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new Dictionary<string, Task<TFault?>>(StringComparer.Ordinal);
        try
        {
            while (hasWork() || running.Count > 0)
            {
                foreach (var idle in members().Where(m => !running.ContainsKey(m)).ToList())
                {
                    if (hasWork())
                    {
                        running[idle] = start(idle, stop.Token);
                    }
                }

                if (running.Count == 0)
                {
                    await waitForMembers().ConfigureAwait(false);
                    continue;
                }

                var tick = Task.Delay(DiscoveryInterval, stop.Token);
                var finished = await Task.WhenAny([.. running.Values, tick]).ConfigureAwait(false);
                if (finished == tick)
                {
                    await discover().ConfigureAwait(false);
                    continue;
                }

                var (member, outcome) = running.Single(r => r.Value == finished);
                running.Remove(member);

                // A worker's own failure (and a cancellation) throws here and ends the batch; a member's fault comes back.
                if (await outcome.ConfigureAwait(false) is { } fault)
                {
                    failed(member, fault);
                }

                await discover().ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }
}
