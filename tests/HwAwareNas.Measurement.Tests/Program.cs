using System.Globalization;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a child process: <c>write-store &lt;path&gt;</c> writes
/// measurements in an endless loop, printing the number of each after it is committed, until it is killed.
/// </summary>
internal static class Program
{
    public const string WriteStoreCommand = "write-store";

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != WriteStoreCommand)
        {
            Console.Error.WriteLine($"usage: {WriteStoreCommand} <store path>");
            return 2;
        }

        using var store = ResultsStore.Open(args[1]);
        for (var i = 0; ; i++)
        {
            store.SaveMeasurement(ChildMeasurement(i));
            Console.Out.WriteLine(i.ToString(CultureInfo.InvariantCulture));
            Console.Out.Flush();
        }
    }

    /// <summary>The measurement the child writes as number <paramref name="i"/> (the test checks rows against it).</summary>
    public static MeasurementRecord ChildMeasurement(int i) => new(
        new MeasurementKey("child", "mobilenetv3", "s", i.ToString(CultureInfo.InvariantCulture), LatencyProfilerOptions.LatencyMetric),
        new MeasurementStatistics(i + 0.5, i + 0.25, i + 1, 0.125, i, i + 2, 150, 0.2),
        10,
        2,
        4096,
        Suspect: false,
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i));
}
