using HwAwareNas.Search.Strategies;

namespace HwAwareNas.Search.Tests;

/// <summary>Keeps every report, synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class RecordingProgress : IProgress<SearchProgress>
{
    public List<SearchProgress> Reports { get; } = [];

    public void Report(SearchProgress value)
    {
        lock (Reports)
        {
            Reports.Add(value);
        }
    }
}
