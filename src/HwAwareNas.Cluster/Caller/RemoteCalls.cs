using System.Diagnostics;
using HwAwareNas.Cluster.Contracts;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// The remote call policy callers of agents and validators share. An answer can be lost without an error when a silo on
/// its way dies (Orleans then waits for the whole response timeout), so short idempotent questions are asked up to
/// <see cref="QuestionAttempts"/> times with a <see cref="QuestionTimeout"/> each, and long jobs are watched: every
/// <see cref="PollInterval"/> the member is asked for the job's state, and a job it finished (its answer lost) or does not
/// know is asked again under the same id, which the member answers from memory.
/// </summary>
internal static class RemoteCalls
{
    /// <summary>How often a long call's job state is asked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for the answer to a short question.</summary>
    public static readonly TimeSpan QuestionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Times a short question is asked before the member counts as failed.</summary>
    public const int QuestionAttempts = 3;

    /// <summary>The first line of an error message, for one-line notices.</summary>
    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n', 2)[0].Trim();
    }

    /// <summary>Transport failures, rejections and timeouts: the member's fault, not the work's.</summary>
    public static bool IsMemberFault(Exception ex) => ex is OrleansException or TimeoutException or IOException;

    /// <summary>
    /// A short, idempotent question (describe, list, what is missing, a job's state), asked up to
    /// <see cref="QuestionAttempts"/> times: an answer lost on its way is not taken for a failed member.
    /// </summary>
    public static async Task<T> AskAsync<T>(Func<Task<T>> question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Observed(question()).WaitAsync(QuestionTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsMemberFault(ex) && attempt < QuestionAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A long job call, watched: while it runs, the member is asked for the job's state every <see cref="PollInterval"/>.
    /// A job the member finished but whose answer did not come, or that it does not know twice in a row (the call was lost
    /// before it arrived), is asked again through <paramref name="call"/> under the same job id, so nothing runs twice.
    /// </summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> (<paramref name="timeoutMessage"/>), or the member stopped answering.</exception>
    public static async Task<T> WatchJobAsync<T>(
        Func<Task<T>> call, Func<Task<JobState>> state, TimeSpan timeout, string timeoutMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(state);
        var clock = Stopwatch.StartNew();
        var running = Observed(call());
        var unknown = 0;
        while (true)
        {
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException(timeoutMessage);
            }

            var poll = Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken);
            if (await Task.WhenAny(running, poll).ConfigureAwait(false) == running)
            {
                return await running.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var known = await AskAsync(state, cancellationToken).ConfigureAwait(false);
            unknown = known == JobState.Unknown ? unknown + 1 : 0;
            if (known == JobState.Done || unknown >= 2)
            {
                running = Observed(call());
                unknown = 0;
            }
        }
    }

    /// <summary><paramref name="call"/>, whose failure counts as observed: a call given up on (asked again, or its member dropped) may fail much later.</summary>
    public static Task<T> Observed<T>(Task<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return call;
    }
}
