using System.Diagnostics;

namespace HwAwareNas.Measurement;

/// <summary>
/// How much a model grows the process's peak working set. On Linux the peak (VmHWM) is reset through
/// <c>/proc/self/clear_refs</c> first, so the figure is the model's own high-water mark over the working set
/// before loading it; elsewhere it is the growth of the lifetime peak (0 when an earlier model peaked higher).
/// </summary>
internal sealed class PeakMemoryProbe
{
    private readonly Process _process = Process.GetCurrentProcess();
    private long _baseline;

    /// <summary>Starts watching: resets the peak where possible and records the baseline.</summary>
    public void Start()
    {
        _process.Refresh();
        _baseline = TryResetPeak() ? _process.WorkingSet64 : _process.PeakWorkingSet64;
    }

    /// <summary>Bytes the peak working set rose above the baseline since <see cref="Start"/>.</summary>
    public long Growth()
    {
        _process.Refresh();
        return Math.Max(0, _process.PeakWorkingSet64 - _baseline);
    }

    private static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // "5" resets the peak resident set size (Linux 4.0+).
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
