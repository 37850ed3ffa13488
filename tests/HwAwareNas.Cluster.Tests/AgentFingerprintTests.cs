namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// Two agents of one kind whose fingerprints differ (one pinned to a core, so it sees 1 core; one free, seeing all):
/// the caller reports the odd one and never mixes its measurements into the pool's.
/// </summary>
[TestClass]
[TestCategory("agents")]
[DoNotParallelize]
public sealed class AgentFingerprintTests
{
    [TestMethod]
    public async Task AnAgentWithAnotherFingerprintIsReportedAndNotUsed()
    {
        if (Environment.ProcessorCount < 2)
        {
            Assert.Inconclusive("Needs two cores: a pinned agent must see fewer cores than a free one.");
        }

        await using var fleet = await AgentFleet.StartAsync(withRedis: true);
        await fleet.StartAgentAsync("M", "m1", core: 0);
        await fleet.StartAgentAsync("M", "m2");
        using var project = new SampleProject();
        project.WriteDevice("kind-m", fleet.RemoteYaml("M"));
        var genomes = project.WriteGenomes("mixed.txt", 4);

        var result = project.Profile("kind-m", genomes);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var survey = Survey.Parse(result);
        CollectionAssert.AreEqual(new[] { "m1" }, survey.Rows.Select(r => r.MeasuredBy).Distinct().ToArray(), "only the pool's fingerprint measures:\n" + result);
        StringAssert.Contains(result.Error, "agent m2 (M) not used: fingerprint");
        StringAssert.Contains(result.Error, $"cores={Environment.ProcessorCount} vs 1");
        Assert.IsTrue(project.Stored(survey.Fingerprint).All(m => m.MeasuredBy == "m1"));
    }
}
