using System.Diagnostics;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// Agents dying under a running batch (kill -9): the batch still completes on the agents left, with every model measured
/// and stored once; with no agent of the kind left, the caller waits <c>remote.wait</c> and stops (exit code 3),
/// keeping what was measured. Its own fleet: the test kills agents.
/// </summary>
[TestClass]
[TestCategory("agents")]
[DoNotParallelize]
public sealed class AgentFaultTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AKilledAgentsModelsGoToTheOtherAgentAndWithNoneLeftTheCallerStops()
    {
        await using var fleet = await AgentFleet.StartAsync(withRedis: true);
        var survivor = await fleet.StartAgentAsync("A", "fa1", core: 0);
        var victim = await fleet.StartAgentAsync("A", "fa2", core: 1);
        await fleet.StartAgentAsync("B", "fb1");
        using var project = new SampleProject();

        // Enough timed runs that the batch of 16 takes seconds on two agents; one model per call, so a call lost with
        // the victim is one model. Calls may take 2 minutes (call_timeout): a lost one must not be waited for that long.
        project.WriteDevice("kind-a", fleet.RemoteYaml("A", wait: "20s", modelsPerCall: 1), warmup: 20, runs: 1500, rounds: 1);
        var genomes = project.WriteGenomes("fault.txt", 16);

        var running = Task.Run(() => project.Profile("kind-a", genomes));
        var clock = Stopwatch.StartNew();
        while (MeasuredCount(survivor) + MeasuredCount(victim) == 0 && !running.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(50);
        }

        Assert.IsFalse(running.IsCompleted, "the batch ended before the first measurement arrived:\n" + (running.IsCompleted ? running.Result.ToString() : string.Empty));
        var victimMeasuredBeforeKill = MeasuredCount(victim);
        victim.Kill();
        TestContext.WriteLine($"killed fa2 after {clock.Elapsed.TotalSeconds:0.0} s (fa1 had measured {MeasuredCount(survivor)}, fa2 {victimMeasuredBeforeKill})");
        var killedAt = clock.Elapsed;
        var result = await running.WaitAsync(TimeSpan.FromMinutes(4));
        var afterKill = clock.Elapsed - killedAt;
        TestContext.WriteLine($"the batch ended {afterKill.TotalSeconds:0.0} s after the kill");
        TestContext.WriteLine(result.ToString());

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "agent fa2 (A) failed mid-batch");
        Assert.IsFalse(result.Error.Contains("agent fa1 (A) failed", StringComparison.Ordinal), "the survivor is not dropped:\n" + result.Error);
        Assert.IsTrue(afterKill < TimeSpan.FromSeconds(90), $"the batch waited {afterKill.TotalSeconds:0} s after the kill: a lost call was waited for until call_timeout");
        var survey = Survey.Parse(result);
        Assert.AreEqual(16, survey.Rows.Count);
        Assert.IsTrue(survey.Rows.All(r => r.MeasuredBy is "fa1" or "fa2"), result.ToString());

        // Exactly one stored measurement per model, by an A agent; the survivor measured exactly what it is credited with
        // (nothing measured twice on it), and the victim only what it finished before it died.
        var stored = project.Stored(survey.Fingerprint);
        Assert.AreEqual(16, stored.Count);
        CollectionAssert.AreEquivalent(survey.Rows.Select(r => r.Genome).ToArray(), survey.Rows.Select(r => r.Genome).Distinct().ToArray());
        Assert.AreEqual(16, stored.Select(m => m.Key.GenomeKey).Distinct().Count());
        Assert.IsTrue(stored.All(m => m.MeasuredBy is "fa1" or "fa2"));
        var bySurvivor = stored.Count(m => m.MeasuredBy == "fa1");
        await Eventually(() => MeasuredCount(survivor) >= bySurvivor);
        var byVictim = stored.Count(m => m.MeasuredBy == "fa2");
        Assert.AreEqual(MeasuredCount(survivor), bySurvivor, survivor.Log);
        Assert.IsTrue(byVictim <= MeasuredCount(victim), $"fa2 is credited with {byVictim} but logged {MeasuredCount(victim)}:\n{victim.Log}");
        Assert.IsTrue(bySurvivor > 0 && bySurvivor < 16 + 1);

        // No A agent left: new sub-networks wait remote.wait (3 s) for one, then stop with exit code 3; nothing is lost.
        survivor.Kill();
        project.WriteDevice("kind-a-short", fleet.RemoteYaml("A", wait: "3s", modelsPerCall: 1));
        var stranded = project.Profile("kind-a-short", project.WriteGenomes("fault-new.txt", 3, variant: 7));
        TestContext.WriteLine(stranded.ToString());

        Assert.AreEqual(ExitCode.MissingInput, stranded.Code, stranded.ToString());
        StringAssert.Contains(stranded.Error, "No agent of device kind 'A'");
        Assert.IsTrue(stranded.Elapsed < TimeSpan.FromSeconds(60), $"the caller gave up after {stranded.Elapsed.TotalSeconds:0} s with wait: 3s");
        var after = project.Stored(survey.Fingerprint);
        CollectionAssert.AreEquivalent(
            stored.Select(m => (m.Key.GenomeKey, m.MeasuredBy, m.Statistics.P10)).ToArray(),
            after.Select(m => (m.Key.GenomeKey, m.MeasuredBy, m.Statistics.P10)).ToArray());
    }

    /// <summary>Waits up to 5 s for <paramref name="condition"/> (an agent's log lines arrive a moment after its reply).</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        for (var clock = Stopwatch.StartNew(); !condition() && clock.Elapsed < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(100);
        }
    }

    private static int MeasuredCount(AgentProcess agent) =>
        agent.Log.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Measured (\d+) models for device profile"))
            .Where(m => m.Success)
            .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
