using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement.Tests;

[TestClass]
public sealed class StoreCrashTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task KillingAWriterMidRun_LeavesASoundStoreWithEveryFinishedMeasurement()
    {
        var folder = Directory.CreateTempSubdirectory("hwnas-crash-");
        try
        {
            var path = Path.Combine(folder.FullName, ".hwnas", "results.db");
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add(Program.WriteStoreCommand);
            start.ArgumentList.Add(path);

            var committed = -1;
            using (var child = Process.Start(start)!)
            {
                // Each printed number was committed before it was printed; kill the child mid-loop.
                while (committed < 200 && await child.StandardOutput.ReadLineAsync() is { } line)
                {
                    committed = int.Parse(line, CultureInfo.InvariantCulture);
                }

                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
                Assert.IsGreaterThanOrEqualTo(200, committed, await child.StandardError.ReadToEndAsync());
            }

            using var store = ResultsStore.Open(path);
            Assert.AreEqual("ok", store.CheckIntegrity());
            var rows = store.ListMeasurements("child").ToDictionary(r => r.Key.GenomeKey);
            for (var i = 0; i <= committed; i++)
            {
                var key = i.ToString(CultureInfo.InvariantCulture);
                Assert.IsTrue(rows.TryGetValue(key, out var row), $"measurement {i} was committed but is missing");
                Assert.AreEqual(Program.ChildMeasurement(i), row);
            }

            // At most the write in flight (and the ones after the last line read) can be beyond what was reported.
            Assert.IsTrue(rows.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).OrderBy(k => k).SequenceEqual(Enumerable.Range(0, rows.Count)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
