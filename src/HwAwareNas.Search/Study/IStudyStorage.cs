namespace HwAwareNas.Search.Study;

/// <summary>
/// Where a search records every trial and every generation's population, append-only, so it can be resumed and
/// reported on. In memory here; a SQLite implementation lives with the results store.
/// </summary>
public interface IStudyStorage
{
    /// <summary>Every trial so far, in order.</summary>
    IReadOnlyList<Trial> Trials { get; }

    /// <summary>Every generation recorded so far, in order.</summary>
    IReadOnlyList<GenerationRecord> Generations { get; }

    /// <summary>Appends a trial (its number must be <see cref="Trials"/>.Count).</summary>
    void AppendTrial(Trial trial);

    /// <summary>Appends a generation record.</summary>
    void AppendGeneration(GenerationRecord generation);
}
