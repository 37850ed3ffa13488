using HwAwareNas.Cluster.Contracts;

namespace HwAwareNas.Cluster.Agent;

/// <summary>
/// An agent's jobs (measurements, validations): one run at a time, in the order they arrive, and the answers of the most
/// recent ones kept by job id, so that a job asked again (its first answer was lost on the way) is answered without
/// running it twice. A job that failed, or whose answer <paramref name="forget"/> says must not be kept (models or inputs
/// were missing), is forgotten: asking again runs it.
/// </summary>
/// <typeparam name="TReply">The answer to a job.</typeparam>
internal sealed class AgentJobs<TReply>(Func<TReply, bool> forget) : IDisposable
{
    /// <summary>How many jobs are remembered.</summary>
    public const int Remembered = 256;

    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<TReply>> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>What is known of the job with <paramref name="jobId"/>.</summary>
    public JobState StateOf(string jobId)
    {
        lock (_gate)
        {
            return !_jobs.TryGetValue(jobId, out var job) ? JobState.Unknown
                : !job.IsCompleted ? JobState.Running
                : job.IsCompletedSuccessfully ? JobState.Done
                : JobState.Unknown;
        }
    }

    /// <summary>The answer to the job with <paramref name="jobId"/>: the remembered one, or <paramref name="run"/>'s once the jobs before it are done.</summary>
    public Task<TReply> RunOnceAsync(string jobId, Func<Task<TReply>> run)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(run);
        TaskCompletionSource<TReply> answer;
        lock (_gate)
        {
            if (_jobs.TryGetValue(jobId, out var known) && (!known.IsCompleted || known.IsCompletedSuccessfully))
            {
                return known;
            }

            answer = new TaskCompletionSource<TReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            _jobs[jobId] = answer.Task;
            _order.Enqueue(jobId);
            while (_order.Count > Remembered && _jobs.TryGetValue(_order.Peek(), out var oldest) && oldest.IsCompleted)
            {
                _jobs.Remove(_order.Dequeue());
            }
        }

        _ = RunAsync(jobId, run, answer);
        return answer.Task;
    }

    private async Task RunAsync(string jobId, Func<Task<TReply>> run, TaskCompletionSource<TReply> answer)
    {
        await _running.WaitAsync().ConfigureAwait(false);
        try
        {
            var reply = await run().ConfigureAwait(false);
            if (forget(reply))
            {
                Forget(jobId, answer.Task);
            }

            answer.SetResult(reply);
        }
        catch (Exception ex)
        {
            Forget(jobId, answer.Task);
            answer.SetException(ex);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _running.Dispose();

    private void Forget(string jobId, Task<TReply> job)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(jobId, out var known) && known == job)
            {
                _jobs.Remove(jobId);
            }
        }
    }
}
