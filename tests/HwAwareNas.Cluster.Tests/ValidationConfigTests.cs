using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Tests;

/// <summary><c>validation:</c> in hwnas.yaml: what is accepted and what each mistake reports.</summary>
[TestClass]
public sealed class ValidationConfigTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    private static ConfigLoadResult Validate(string validationYaml)
    {
        using var folder = new TempFolder();
        return HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", TestConfigs.Minimal + "\n" + validationYaml + "\n"), NoEnvironment);
    }

    [TestMethod]
    public void ValidatorsByAddressOrInRedisAreRead()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + """

            validation:
              local: false
              remote:
                agent: 192.168.1.30:30100
                tls: { certificate: certs/caller.pfx, ca: certs/ca.pem }
                wait: 30s
                shared: shared
            """);

        var validation = HwNasConfigLoader.Load(path, NoEnvironment).Validation!;

        Assert.IsFalse(validation.Local);
        var remote = validation.Remote!;
        Assert.AreEqual(("192.168.1.30:30100", (string?)null, "hwnas"), (remote.Connection.Agent, remote.Connection.Redis, remote.Connection.ClusterId));
        Assert.AreEqual((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10)), (remote.Connection.Wait, remote.Connection.CallTimeout));
        Assert.AreEqual(Path.Combine(folder.Path, "shared"), remote.Shared);
        Assert.AreEqual(Path.Combine(folder.Path, "certs", "caller.pfx"), remote.Connection.Tls.Certificate);

        var pool = Validate("validation:\n  remote:\n    redis: 127.0.0.1:6379\n    cluster_id: lab\n    tls: { certificate: c.pfx, ca: ca.pem }");
        Assert.IsTrue(pool.IsValid, string.Join("; ", pool.Diagnostics.Select(d => d.Message)));
        Assert.AreEqual((true, "127.0.0.1:6379", "lab", (string?)null), (pool.Config!.Validation!.Local, pool.Config.Validation.Remote!.Connection.Redis, pool.Config.Validation.Remote.Connection.ClusterId, pool.Config.Validation.Remote.Shared));
        Assert.IsNull(HwNasConfigLoader.Load(folder.Write("local.yaml", TestConfigs.Minimal), NoEnvironment).Validation, "no validation section: this machine validates, as before");
    }

    [TestMethod]
    public void NoValidatorAndNoLocalValidationIsRefused()
    {
        var result = Validate("validation:\n  local: false");

        var problem = result.Diagnostics.Single();
        Assert.AreEqual(ConfigDiagnosticCodes.InconsistentValues, problem.Code);
        StringAssert.Contains(problem.Message, "'validation.local' is false but 'validation' names no remote validators");
    }

    [TestMethod]
    public void ValidatorsNeedExactlyOneOfAgentAndRedisAndNoPasswordInTheFile()
    {
        var neither = Validate("validation:\n  remote:\n    tls: { certificate: c.pfx, ca: ca.pem }").Diagnostics.Single();
        Assert.AreEqual(ConfigDiagnosticCodes.MissingRequiredKey, neither.Code);
        StringAssert.Contains(neither.Message, "'validation.remote' names neither 'agent' nor 'redis'");

        var secret = Validate("validation:\n  remote:\n    redis: host:6379,password=hunter2\n    tls: { certificate: c.pfx, ca: ca.pem }").Diagnostics.Single();
        Assert.AreEqual(ConfigDiagnosticCodes.SecretInConfig, secret.Code);
        Assert.AreEqual("validation.remote.redis", secret.Key);
    }
}
