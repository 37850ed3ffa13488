using System.Diagnostics;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Wall time per pipeline stage, charged to the innermost stage entered: a live evaluation or predictor fit the
/// search asks for counts under Profile or Fit, not twice under Search, so the stages add up to the run. Stages are
/// entered and left in nested order on one logical flow (the pipeline awaits every step).
/// </summary>
internal sealed class StageClock
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Dictionary<string, TimeSpan> _spent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _entries = new(StringComparer.Ordinal);
    private readonly Stack<string> _open = new();
    private TimeSpan _lastSwitch;

    /// <summary>When the clock started: the run's start.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The current time on this clock. A run's end read here is never earlier than the stages charged so far, which
    /// a separate wall-clock reading cannot promise.
    /// </summary>
    public DateTimeOffset Now => StartedAt + _watch.Elapsed;

    /// <summary>Starts charging time to <paramref name="stage"/> until the result is disposed.</summary>
    public IDisposable Enter(string stage)
    {
        lock (_gate)
        {
            Charge();
            _open.Push(stage);
            _entries[stage] = _entries.GetValueOrDefault(stage) + 1;
        }

        return new Exit(this, stage);
    }

    /// <summary>Runs <paramref name="work"/> as <paramref name="stage"/>.</summary>
    public T Measure<T>(string stage, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using (Enter(stage))
        {
            return work();
        }
    }

    /// <summary>Runs <paramref name="work"/> as <paramref name="stage"/>.</summary>
    public async Task<T> MeasureAsync<T>(string stage, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using (Enter(stage))
        {
            return await work().ConfigureAwait(false);
        }
    }

    /// <summary>Time charged to <paramref name="stage"/> so far.</summary>
    public TimeSpan Spent(string stage)
    {
        lock (_gate)
        {
            Charge();
            return _spent.GetValueOrDefault(stage);
        }
    }

    /// <summary>How often <paramref name="stage"/> was entered.</summary>
    public int Entries(string stage)
    {
        lock (_gate)
        {
            return _entries.GetValueOrDefault(stage);
        }
    }

    private void Leave(string stage)
    {
        lock (_gate)
        {
            if (_open.Count == 0 || _open.Peek() != stage)
            {
                throw new InvalidOperationException($"Stage {stage} left out of order (open: {string.Join(" > ", _open.Reverse())}).");
            }

            Charge();
            _open.Pop();
        }
    }

    private void Charge()
    {
        var now = _watch.Elapsed;
        if (_open.Count > 0)
        {
            var stage = _open.Peek();
            _spent[stage] = _spent.GetValueOrDefault(stage) + (now - _lastSwitch);
        }

        _lastSwitch = now;
    }

    private sealed class Exit(StageClock clock, string stage) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                clock.Leave(stage);
            }
        }
    }
}
