using System.Diagnostics;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// Single agents, each its own cluster (no Redis), reached by <c>remote.agent: host:port</c>: a caller of the fleet's
/// authority measures; a caller whose certificate another authority issued cannot; an agent with a small model limit
/// refuses the sample's models. One fleet for the class.
/// </summary>
[TestClass]
[TestCategory("agents")]
[DoNotParallelize]
public sealed class AgentSecurityTests
{
    private static AgentFleet s_fleet = null!;
    private static AgentProcess s_agent = null!;
    private static AgentProcess s_tiny = null!;
    private static SampleProject s_project = null!;

    [ClassInitialize]
    public static async Task StartFleet(TestContext context)
    {
        s_fleet = await AgentFleet.StartAsync(withRedis: false);
        s_agent = await s_fleet.StartAgentAsync("A", "s1");
        s_tiny = await s_fleet.StartAgentAsync("A", "tiny", maxModelMegabytes: 0.01);
        s_project = new SampleProject();
    }

    [ClassCleanup]
    public static async Task StopFleet()
    {
        s_project?.Dispose();
        if (s_fleet is not null)
        {
            await s_fleet.DisposeAsync();
        }
    }

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ACallerOfTheFleetsAuthorityMeasuresOnOneAgentByAddress()
    {
        s_project.WriteDevice("single", s_fleet.RemoteYaml("A", agentGateway: s_agent.Gateway));

        var result = s_project.Profile("single", s_project.WriteGenomes("single.txt", 3, variant: 2));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var survey = Survey.Parse(result);
        Assert.AreEqual(3, survey.Rows.Count);
        Assert.IsTrue(survey.Rows.All(r => r.MeasuredBy == "s1" && !r.FromStore && r.P10Ms > 0), result.ToString());
        Assert.AreEqual(3, s_project.Stored(survey.Fingerprint).Count(m => m.MeasuredBy == "s1"));
    }

    [TestMethod]
    public async Task ACallerWhoseCertificateAnotherAuthorityIssuedIsRefused()
    {
        // The intruder trusts the fleet's authority (so it accepts the agent): the agent refuses the intruder.
        s_project.WriteDevice("intruder", s_fleet.RemoteYaml("A", agentGateway: s_agent.Gateway, certificate: s_fleet.IntruderPfx, wait: "2s"));
        var logBefore = s_agent.Log.Length;
        var measuredBefore = MeasuredLines(s_agent.Log);

        var result = s_project.Profile("intruder", s_project.WriteGenomes("intruder.txt", 1, variant: 3));

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "Cannot connect to the agent at " + s_agent.Gateway);
        Assert.AreEqual(string.Empty, result.Out, "nothing was measured");
        await Eventually(() => Refusals(s_agent.Log[logBefore..]) > 0);
        var log = s_agent.Log[logBefore..];
        TestContext.WriteLine(log);
        Assert.IsTrue(log.Contains("Refused a peer at 127.0.0.1:", StringComparison.Ordinal), "the refusal names the caller's address:\n" + log);
        Assert.IsTrue(log.Contains(": its certificate 'CN=intruder", StringComparison.Ordinal), log);

        // The intruder trusting only its own authority does not get in either.
        s_project.WriteDevice("intruder-own-ca", s_fleet.RemoteYaml(
            "A", agentGateway: s_agent.Gateway, certificate: s_fleet.IntruderPfx, authority: s_fleet.IntruderAuthorityPem, wait: "2s"));
        logBefore = s_agent.Log.Length;

        var own = s_project.Profile("intruder-own-ca", s_project.WriteGenomes("intruder.txt", 1, variant: 3));

        Assert.AreEqual(ExitCode.MissingInput, own.Code, own.ToString());
        StringAssert.Contains(own.Error, "Cannot connect to the agent at " + s_agent.Gateway);
        await Eventually(() => Refusals(s_agent.Log[logBefore..]) > 0);
        TestContext.WriteLine(s_agent.Log[logBefore..]);
        Assert.IsTrue(Refusals(s_agent.Log[logBefore..]) > 0, s_agent.Log[logBefore..]);

        // Neither got anything measured.
        Assert.AreEqual(measuredBefore, MeasuredLines(s_agent.Log));
    }

    [TestMethod]
    public void AnAgentRefusesModelsOverItsLimit()
    {
        s_project.WriteDevice("tiny", s_fleet.RemoteYaml("A", agentGateway: s_tiny.Gateway));

        var result = s_project.Profile("tiny", s_project.WriteGenomes("tiny.txt", 2, variant: 4));

        Assert.AreEqual(ExitCode.RuntimeRejected, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "Agent tiny (A) refused the model of '");
        StringAssert.Contains(result.Error, "over this agent's limit of 0.01 MB (--max-model-mb)");
        StringAssert.Contains(s_tiny.Log, "Refused model ");
    }

    /// <summary>Refusal lines: ours (a certificate of another authority) or Orleans' TLS middleware's.</summary>
    private static int Refusals(string log) =>
        log.Split('\n').Count(l => l.Contains("Refused a peer", StringComparison.Ordinal) || l.Contains("authenticat", StringComparison.OrdinalIgnoreCase));

    private static int MeasuredLines(string log) => log.Split('\n').Count(l => l.Contains(" models for device profile", StringComparison.Ordinal));

    private static async Task Eventually(Func<bool> condition)
    {
        for (var clock = Stopwatch.StartNew(); !condition() && clock.Elapsed < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(100);
        }
    }
}
