namespace HwAwareNas.Search.Operators;

/// <summary>
/// Stops at whichever limit is reached first: generations, evaluations, wall time, or generations without
/// improvement of the first front. Progress is the largest fraction of any limit used. At least one limit is
/// required so a search cannot run forever.
/// </summary>
public sealed class Termination : ITermination
{
    /// <summary>Creates a termination from the limits that apply (null = no such limit).</summary>
    public Termination(int? maxGenerations = null, int? maxEvaluations = null, TimeSpan? maxWallTime = null, int? stagnationGenerations = null)
    {
        if (maxGenerations is null && maxEvaluations is null && maxWallTime is null && stagnationGenerations is null)
        {
            throw new ArgumentException("A termination needs at least one limit.");
        }

        if (maxGenerations <= 0 || maxEvaluations <= 0 || maxWallTime <= TimeSpan.Zero || stagnationGenerations <= 0)
        {
            throw new ArgumentException("Termination limits must be positive.");
        }

        MaxGenerations = maxGenerations;
        MaxEvaluations = maxEvaluations;
        MaxWallTime = maxWallTime;
        StagnationGenerations = stagnationGenerations;
    }

    /// <summary>Most generations (including the initial population), or null.</summary>
    public int? MaxGenerations { get; }

    /// <summary>Most evaluations, or null.</summary>
    public int? MaxEvaluations { get; }

    /// <summary>Most wall time, or null.</summary>
    public TimeSpan? MaxWallTime { get; }

    /// <summary>Consecutive generations without improvement that end the search, or null.</summary>
    public int? StagnationGenerations { get; }

    /// <inheritdoc />
    public bool HasTerminated(TerminationState state) => Progress(state) >= 1;

    /// <inheritdoc />
    public double Progress(TerminationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var progress = 0.0;
        if (MaxGenerations is { } generations)
        {
            progress = Math.Max(progress, (double)state.Generation / generations);
        }

        if (MaxEvaluations is { } evaluations)
        {
            progress = Math.Max(progress, (double)state.Evaluations / evaluations);
        }

        if (MaxWallTime is { } wallTime)
        {
            progress = Math.Max(progress, state.Elapsed / wallTime);
        }

        if (StagnationGenerations is { } stagnation)
        {
            progress = Math.Max(progress, (double)state.StagnantGenerations / stagnation);
        }

        return Math.Clamp(progress, 0, 1);
    }
}
