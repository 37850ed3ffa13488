namespace HwAwareNas.Search.Operators;

/// <summary>Role: decide when a search stops, and how far along it is.</summary>
public interface ITermination
{
    /// <summary>Whether the search should stop in <paramref name="state"/>.</summary>
    bool HasTerminated(TerminationState state);

    /// <summary>How far along the search is, from 0 to 1 (1 exactly when terminated).</summary>
    double Progress(TerminationState state);
}
