using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Tests;

/// <summary><c>device.remote</c> in hwnas.yaml and in device profiles: what is accepted and what each mistake reports.</summary>
[TestClass]
public sealed class RemoteConfigTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    private static string Yaml(string remoteBody) =>
        TestConfigs.Minimal + "\ndevice:\n  name: pi\n  provider: cpu\n  remote:\n" +
        string.Join("\n", remoteBody.Split('\n').Select(l => "    " + l)) + "\n";

    private const string Tls = "tls:\n  certificate: certs/caller.pfx\n  ca: certs/ca.pem";

    private static ConfigLoadResult Validate(string remoteBody, ConfigLoadOptions? options = null)
    {
        using var folder = new TempFolder();
        return HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", Yaml(remoteBody)), options ?? NoEnvironment);
    }

    private static Diagnostic SingleProblem(string remoteBody, ConfigLoadOptions? options = null)
    {
        var result = Validate(remoteBody, options);
        Assert.IsFalse(result.IsValid, "expected the configuration to be invalid");
        Assert.AreEqual(1, result.Diagnostics.Count, string.Join(Environment.NewLine, result.Diagnostics.Select(d => $"{d.Code} {d.Key}: {d.Message}")));
        return result.Diagnostics[0];
    }

    [TestMethod]
    public void AnAgentByAddressOrAPoolInRedisIsRead()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", Yaml($"kind: pi4\nagent: 192.168.1.20:30000\n{Tls}\nwait: 30s\ncall_timeout: 1m\nmodels_per_call: 3"));

        var remote = HwNasConfigLoader.Load(path, NoEnvironment).Device.Remote!;

        Assert.AreEqual(("pi4", "192.168.1.20:30000", (string?)null, "hwnas"), (remote.Kind, remote.Connection.Agent, remote.Connection.Redis, remote.Connection.ClusterId));
        Assert.AreEqual((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), 3), (remote.Connection.Wait, remote.Connection.CallTimeout, remote.ModelsPerCall));
        Assert.AreEqual(Path.Combine(folder.Path, "certs", "caller.pfx"), remote.Connection.Tls.Certificate);
        Assert.AreEqual(Path.Combine(folder.Path, "certs", "ca.pem"), remote.Connection.Tls.CertificateAuthority);

        var pool = Validate($"kind: pi4\nredis: 127.0.0.1:6379\ncluster_id: lab\n{Tls}");
        Assert.IsTrue(pool.IsValid, string.Join("; ", pool.Diagnostics.Select(d => d.Message)));
        Assert.AreEqual(("127.0.0.1:6379", "lab", (string?)null), (pool.Config!.Device.Remote!.Connection.Redis, pool.Config.Device.Remote.Connection.ClusterId, pool.Config.Device.Remote.Connection.Agent));
        Assert.AreEqual((TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), 4), (pool.Config.Device.Remote.Connection.Wait, pool.Config.Device.Remote.Connection.CallTimeout, pool.Config.Device.Remote.ModelsPerCall));
        Assert.IsNull(HwNasConfigLoader.Load(folder.Write("local.yaml", TestConfigs.Minimal), NoEnvironment).Device.Remote, "no remote section: this machine measures");
    }

    [TestMethod]
    public void BothAgentAndRedisConflict()
    {
        var problem = SingleProblem($"kind: pi4\nagent: 127.0.0.1:30000\nredis: 127.0.0.1:6379\n{Tls}");

        Assert.AreEqual(ConfigDiagnosticCodes.ConflictingKeys, problem.Code);
        Assert.AreEqual("HWNAS1009", problem.Code);
        StringAssert.Contains(problem.Message, "both 'agent' and 'redis'");
    }

    [TestMethod]
    public void NeitherAgentNorRedisIsMissing()
    {
        var problem = SingleProblem($"kind: pi4\n{Tls}");

        Assert.AreEqual("HWNAS1006", problem.Code);
        StringAssert.Contains(problem.Message, "neither 'agent' nor 'redis'");
    }

    [TestMethod]
    public void ARedisPasswordWrittenInTheFileIsASecret()
    {
        var problem = SingleProblem($"kind: pi4\nredis: \"127.0.0.1:6379,password=x\"\n{Tls}");

        Assert.AreEqual("HWNAS1024", problem.Code);
        Assert.AreEqual("device.remote.redis", problem.Key);
        Assert.IsFalse(problem.Message.Contains("password=x", StringComparison.Ordinal), "the message does not repeat the secret");
    }

    [TestMethod]
    public void RedisFromAnUnsetVariableIsReported()
    {
        var problem = SingleProblem($"kind: pi4\nredis: ${{HWNAS_TEST_UNSET_REDIS}}\n{Tls}");

        Assert.AreEqual("HWNAS1007", problem.Code);
        StringAssert.Contains(problem.Message, "HWNAS_TEST_UNSET_REDIS");
    }

    [TestMethod]
    public void RedisIsExpandedFromTheLoadersEnvironment()
    {
        // The password travels in the variable, never in the file; the loader's environment is the one consulted.
        var options = new ConfigLoadOptions { Environment = name => name == "HWNAS_TEST_REDIS" ? "10.0.0.5:6379,password=s3cret" : null };

        var result = Validate($"kind: pi4\nredis: ${{HWNAS_TEST_REDIS}}\n{Tls}", options);

        Assert.IsTrue(result.IsValid, string.Join("; ", result.Diagnostics.Select(d => $"{d.Code}: {d.Message}")));
        Assert.AreEqual("10.0.0.5:6379,password=s3cret", result.Config!.Device.Remote!.Connection.Redis);
    }

    [TestMethod]
    public void AnAgentThatIsNotHostPortIsMalformed()
    {
        foreach (var agent in new[] { "nonsense", "host:", ":30000", "host:port", "host:70000" })
        {
            var problem = SingleProblem($"kind: pi4\nagent: \"{agent}\"\n{Tls}");

            Assert.AreEqual("HWNAS1010", problem.Code, agent);
            Assert.AreEqual("device.remote.agent", problem.Key, agent);
        }
    }

    [TestMethod]
    public void TlsIsRequired()
    {
        var problem = Validate("kind: pi4\nagent: 127.0.0.1:30000").Diagnostics;

        Assert.IsTrue(problem.Count > 0);
        Assert.IsTrue(problem.All(d => d.Code == "HWNAS1006"), string.Join("; ", problem.Select(d => $"{d.Code} {d.Key}: {d.Message}")));
        Assert.IsTrue(problem.Any(d => d.Key is not null && d.Key.StartsWith("device.remote.tls", StringComparison.Ordinal)), string.Join("; ", problem.Select(d => d.Key)));

        var half = SingleProblem("kind: pi4\nagent: 127.0.0.1:30000\ntls:\n  certificate: caller.pfx");
        Assert.AreEqual(("HWNAS1006", "device.remote.tls.ca"), (half.Code, half.Key));
    }

    [TestMethod]
    public void KindIsRequired()
    {
        var problem = SingleProblem($"agent: 127.0.0.1:30000\n{Tls}");

        Assert.AreEqual(("HWNAS1006", "device.remote.kind"), (problem.Code, problem.Key));
    }

    [TestMethod]
    public void ValidateReportsARemoteSectionInADeviceProfileFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);
        folder.Write("devices/pool.yaml", $"provider: cpu\nremote:\n  kind: pi4\n  agent: 127.0.0.1:30000\n  redis: 127.0.0.1:6379\n  tls: {{ certificate: c.pfx, ca: ca.pem }}\n");
        folder.Write("devices/good.yaml", $"provider: cpu\nremote:\n  kind: pi4\n  agent: 127.0.0.1:30000\n  tls: {{ certificate: c.pfx, ca: ca.pem }}\n");

        var bad = Cli.Run("validate", path, "--device", "pool");
        var good = Cli.Run("validate", path, "--device", "good");

        Assert.AreEqual(ExitCode.BadConfig, bad.Code, bad.ToString());
        StringAssert.Contains(bad.Out + bad.Error, "HWNAS1009");
        StringAssert.Contains(bad.Out + bad.Error, Path.Combine("devices", "pool.yaml"));
        Assert.AreEqual(0, good.ExitCode, good.ToString());
        StringAssert.Contains(good.Out, "device good on cpu");
    }
}
