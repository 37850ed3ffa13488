namespace HwAwareNas.Measurement;

/// <summary>How far a batch of profiling has got.</summary>
/// <param name="Done">Models finished (including those found in the store).</param>
/// <param name="Total">Models in the batch.</param>
/// <param name="Elapsed">Time since the batch started.</param>
/// <param name="Remaining">Estimated time left, from the pace of the measurements so far; null before the first.</param>
/// <param name="Current">Genome key of the model just finished.</param>
public sealed record ProfileProgress(int Done, int Total, TimeSpan Elapsed, TimeSpan? Remaining, string Current);
