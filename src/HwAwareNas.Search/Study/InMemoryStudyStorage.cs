namespace HwAwareNas.Search.Study;

/// <summary>A study kept in memory; thread-safe so evaluators may record concurrently.</summary>
internal sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly Lock _gate = new();
    private readonly List<Trial> _trials = [];
    private readonly List<GenerationRecord> _generations = [];

    /// <inheritdoc />
    public IReadOnlyList<Trial> Trials
    {
        get
        {
            lock (_gate)
            {
                return [.. _trials];
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<GenerationRecord> Generations
    {
        get
        {
            lock (_gate)
            {
                return [.. _generations];
            }
        }
    }

    /// <inheritdoc />
    public void AppendTrial(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_gate)
        {
            if (trial.Number != _trials.Count)
            {
                throw new ArgumentException(
                    $"Trial number {trial.Number} is out of sequence; the next is {_trials.Count}.", nameof(trial));
            }

            _trials.Add(trial);
        }
    }

    /// <inheritdoc />
    public void AppendGeneration(GenerationRecord generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        lock (_gate)
        {
            _generations.Add(generation);
        }
    }
}
