using System.Diagnostics;
using HwAwareNas.Cluster.Caller;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// Validator silos end to end: real <c>hwnas agent --role validator</c> processes (one thread each, pinned to different
/// cores) in a real Redis cluster, validating the Fashion-MNIST sample's sub-networks for a caller that does not validate
/// itself. One fleet for the class; each test has its own project (results store).
/// </summary>
[TestClass]
[TestCategory("validators")]
[DoNotParallelize]
public sealed class ValidatorTests
{
    private static AgentFleet s_fleet = null!;

    [ClassInitialize]
    public static async Task StartFleet(TestContext context)
    {
        s_fleet = await AgentFleet.StartAsync(withRedis: true);
        await Task.WhenAll(s_fleet.StartValidatorAsync("v1", core: 0), s_fleet.StartValidatorAsync("v2", core: 1));
    }

    [ClassCleanup]
    public static async Task StopFleet()
    {
        if (s_fleet is not null)
        {
            await s_fleet.DisposeAsync();
        }
    }

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TwoValidatorsValidateABatchExactlyAsThisMachineDoesAndEachGenomeOnce()
    {
        using var project = new SampleProject(s_fleet.ValidationYaml(local: false));
        var notices = new List<string>();
        await using var run = await ValidationRun.OpenAsync(project, notices);
        var genomes = Genomes(run.Session, 8, seed: 10);

        var validated = await run.Evaluator.EvaluateAsync([.. genomes, .. genomes.Take(3)], CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        TestContext.WriteLine(string.Join(Environment.NewLine, notices));
        var remote = run.Evaluator.Distributed!;
        Assert.AreEqual(8, remote.Validations, "one validation per distinct genome");
        Assert.AreEqual(8, run.Evaluator.Evaluations, "the run's count of validations is the validators'");
        Assert.AreEqual(8, remote.ValidatedBy.Values.Sum());
        Assert.IsFalse(remote.ValidatedBy.ContainsKey(DistributedAccuracyEvaluator.LocalName), "this machine does not validate (local: false)");
        CollectionAssert.IsSubsetOf(new[] { "v1", "v2" }, remote.ValidatedBy.Keys.ToList(), "both validators took work: " + string.Join(", ", remote.ValidatedBy));
        Assert.AreEqual(8, ValidatedLines("v1") + ValidatedLines("v2"));

        // The same accuracy, to the last bit, as this machine computes for the same genome.
        var local = run.Session.Accuracy();
        foreach (var (genome, candidate) in genomes.Zip(validated))
        {
            Assert.AreEqual(local.Evaluate(genome), candidate.Values[0], 0.0, genome.Key);
        }

        Assert.AreEqual(8, run.StoredAccuracies());

        // Asked again, the batch comes from the store: nothing is validated twice.
        var again = await run.Evaluator.EvaluateAsync(genomes, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.AreEqual(8, remote.Validations);
        CollectionAssert.AreEqual(validated.Take(8).Select(c => c.Values[0]).ToList(), again.Select(c => c.Values[0]).ToList());
    }

    [TestMethod]
    public void AnOptimizeRunValidatesEverySubnetworkOnTheValidatorsOnce()
    {
        using var project = new SampleProject(s_fleet.ValidationYaml(local: false));
        var before = ValidatedLines("v1") + ValidatedLines("v2");

        var result = Cli.Run("optimize", project.ConfigPath, "--validations", "6");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out + result.Error, "validator v1");
        using var store = ResultsStore.Open(project.StorePath);
        var stored = store.ListAccuracies(Validator.InputCache.HashOf(HwNasConfigLoader.Load(project.ConfigPath).Supernet.Checkpoint), DatasetKey(project)).Count;
        Assert.IsTrue(stored >= 6, $"{stored} accuracies stored");
        Assert.AreEqual(stored, ValidatedLines("v1") + ValidatedLines("v2") - before, "every stored accuracy was validated once, on a validator");
    }

    [TestMethod]
    public async Task AValidatorKilledMidBatchLosesNothingAndCountsNothingTwice()
    {
        // Two validators of their own cluster, so the victim is sure to hold work when it is killed.
        var started = await Task.WhenAll(s_fleet.StartValidatorAsync("v3", core: 0, clusterId: "kill"), s_fleet.StartValidatorAsync("v4", core: 1, clusterId: "kill"));
        var victim = started[0];
        using var project = new SampleProject(s_fleet.ValidationYaml(local: false, clusterId: "kill"));
        var notices = new List<string>();
        await using var run = await ValidationRun.OpenAsync(project, notices);
        // Enough work that the victim still holds some when its first validation shows in its log (which may lag under load).
        var genomes = Genomes(run.Session, 32, seed: 30);

        var batch = run.Evaluator.EvaluateAsync(genomes, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (ValidatedLines("v3") == 0 && !batch.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        victim.Kill();
        var validated = await batch.WaitAsync(TimeSpan.FromMinutes(5));

        TestContext.WriteLine(string.Join(Environment.NewLine, notices));
        var remote = run.Evaluator.Distributed!;
        Assert.IsTrue(notices.Any(n => n.Contains("validator v3 failed mid-batch", StringComparison.Ordinal)), string.Join(Environment.NewLine, notices));
        Assert.AreEqual(32, validated.Count);
        Assert.IsTrue(remote.ValidatedBy.GetValueOrDefault("v4") > 0, string.Join(", ", remote.ValidatedBy));
        Assert.AreEqual(32, remote.Validations, "each genome counted once");
        Assert.AreEqual(32, remote.ValidatedBy.Values.Sum());
        Assert.AreEqual(32, run.StoredAccuracies(), "each genome stored once");
        var local = run.Session.Accuracy();
        foreach (var (genome, candidate) in genomes.Zip(validated).Take(4))
        {
            Assert.AreEqual(local.Evaluate(genome), candidate.Values[0], 0.0, genome.Key);
        }
    }

    [TestMethod]
    public async Task AnOptimizeForTwoDevicesSurvivesAValidatorKilledMidRunAndValidatesEachSubnetworkOnce()
    {
        // Validators of their own cluster; the run measures two devices here and validates on the validators only.
        var started = await Task.WhenAll(s_fleet.StartValidatorAsync("v5", core: 0, clusterId: "devices"), s_fleet.StartValidatorAsync("v6", core: 1, clusterId: "devices"));
        using var project = new SampleProject(s_fleet.ValidationYaml(local: false, clusterId: "devices"));
        project.WriteDevice("few-runs", remoteYaml: null, runs: 20);
        project.WriteDevice("more-runs", remoteYaml: null, runs: 40);
        var output = Path.Combine(project.Folder, "out");

        var optimize = Task.Run(() => Cli.Run("optimize", project.ConfigPath, "--devices", "few-runs,more-runs", "--validations", "8", "-o", output));
        var clock = Stopwatch.StartNew();
        while (ValidatedLines("v5") == 0 && !optimize.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(50);
        }

        started[0].Kill();
        var result = await optimize.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var trials = summary.RootElement.GetProperty("trials").GetInt32();
        Assert.IsGreaterThanOrEqualTo(8, trials);
        Assert.AreEqual(trials, summary.RootElement.GetProperty("accuracy_validations").GetInt32(), "one validation per sub-network, for both devices, none twice");
        // The validators' logs arrive asynchronously: give the survivor's a moment to show its work.
        clock.Restart();
        while (ValidatedLines("v6") == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.IsGreaterThan(0, ValidatedLines("v6"), "the surviving validator took work");
        using (var store = ResultsStore.Open(project.StorePath))
        {
            Assert.AreEqual(trials + summary.RootElement.GetProperty("baseline_validations").GetInt32(), store.ListAccuracies(Validator.InputCache.HashOf(HwNasConfigLoader.Load(project.ConfigPath).Supernet.Checkpoint), DatasetKey(project)).Count);
        }

        foreach (var device in new[] { "few-runs", "more-runs" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, device, "model.onnx")), result.ToString());
        }
    }

    [TestMethod]
    public async Task AValidatorWhoseSharedCopyHashesDifferentlyRefusesAndIsNotUsed()
    {
        using var shared = new TempFolder();
        using var project = new SampleProject(s_fleet.ValidationYaml(local: true, shared: shared.Path));

        // A copy of the checkpoint that differs in one byte (same size) sits in the shared folder under the real hash.
        var config = HwNasConfigLoader.Load(project.ConfigPath);
        var checkpoint = File.ReadAllBytes(config.Supernet.Checkpoint);
        var sha = Validator.InputCache.HashOf(config.Supernet.Checkpoint);
        checkpoint[checkpoint.Length / 2] ^= 0x5a;
        File.WriteAllBytes(Path.Combine(shared.Path, sha), checkpoint);
        var notices = new List<string>();
        await using var run = await ValidationRun.OpenAsync(project, notices);
        var genomes = Genomes(run.Session, 3, seed: 50);

        var validated = await run.Evaluator.EvaluateAsync(genomes, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

        TestContext.WriteLine(string.Join(Environment.NewLine, notices));
        var remote = run.Evaluator.Distributed!;
        Assert.AreEqual(3, validated.Count);
        Assert.AreEqual(3, remote.ValidatedBy.GetValueOrDefault(DistributedAccuracyEvaluator.LocalName), "this machine validated what the validators refused");
        CollectionAssert.AreEquivalent(new[] { "v1", "v2" }, remote.Excluded.Keys.ToList());
        StringAssert.Contains(remote.Excluded["v1"], $"hashes to {Validator.InputCache.HashOf(Path.Combine(shared.Path, sha))}, not {sha}");
        Assert.IsTrue(notices.Any(n => n.Contains("validator v1 not used: it refuses this run's inputs", StringComparison.Ordinal)), string.Join(Environment.NewLine, notices));
    }

    [TestMethod]
    public async Task ACallerWhoseCertificateAnotherAuthorityIssuedIsRefused()
    {
        using var project = new SampleProject(s_fleet.ValidationYaml(local: true, certificate: s_fleet.IntruderPfx, wait: "2s"));

        var error = await Assert.ThrowsAsync<HwNasException>(async () => await ValidationRun.OpenAsync(project, []));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode, error.Message);
        StringAssert.Contains(error.Message, "for validation");
        StringAssert.Contains(error.Message, "validation.remote.tls.ca");
    }

    [TestMethod]
    public async Task TheDeviceAgentPackageRefusesTheValidatorRole()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [AgentFleet.AgentAssembly, "--role", "validator", "--certificate", "x.pfx", "--ca", "ca.pem"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.AreEqual((int)ExitCode.BadConfig, process.ExitCode);
        StringAssert.Contains(await error, "--role validator needs TorchSharp");
    }

    [TestMethod]
    public async Task ValidatorGrainsArePlacedOnlyOnValidators()
    {
        await using var connection = await AgentConnection.ConnectAsync(
            ClusterAddress.Of(HwNasConfigLoader.Load(new SampleProject(s_fleet.ValidationYaml(local: false)).ConfigPath).Validation!.Remote!), CancellationToken.None);

        var v1 = await connection.Client.GetGrain<IValidatorGrain>("v1").DescribeAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.AreEqual(("v1", 1), (v1.ValidatorId, v1.Threads));

        // No validator has this id: the call fails (no silo qualifies), it does not hang or land elsewhere.
        var error = await Assert.ThrowsAsync<Exception>(async () => await connection.Client.GetGrain<IValidatorGrain>("nobody").DescribeAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsNotInstanceOfType<TimeoutException>(error, error.ToString());

        // A device agent's key naming a validator's id finds no measuring silo either.
        var device = await Assert.ThrowsAsync<Exception>(async () => await connection.Client.GetGrain<IDeviceAgentGrain>("validator/v1").MissingModelsAsync(["00"]).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsNotInstanceOfType<TimeoutException>(device, device.ToString());
    }

    private static string DatasetKey(SampleProject project)
    {
        var config = HwNasConfigLoader.Load(project.ConfigPath);
        using var session = SupernetSession.Load(config, store: null);
        return session.Data.Key;
    }

    private static int ValidatedLines(string id) =>
        s_fleet.Agents.Where(a => a.Id == id).Sum(a => a.Log.Split('\n').Count(l => l.Contains("Validated ", StringComparison.Ordinal)));

    private static List<Genome> Genomes(SupernetSession session, int count, int seed)
    {
        var genomes = new Dictionary<string, Genome>(StringComparer.Ordinal);
        var random = new Random(seed);
        while (genomes.Count < count)
        {
            var genome = session.Family.Canonicalize(session.Family.Sample(random));
            genomes.TryAdd(genome.Key, genome);
        }

        return [.. genomes.Values];
    }

    /// <summary>A caller's side: the project's super-network, results store and accuracy evaluator (validators as configured).</summary>
    private sealed class ValidationRun : IAsyncDisposable
    {
        private readonly ResultsStore _store;

        private ValidationRun(SupernetSession session, ResultsStore store, AccuracyValidation evaluator)
        {
            Session = session;
            _store = store;
            Evaluator = evaluator;
        }

        public SupernetSession Session { get; }

        public AccuracyValidation Evaluator { get; }

        public static async Task<ValidationRun> OpenAsync(SampleProject project, List<string> notices)
        {
            var config = HwNasConfigLoader.Load(project.ConfigPath);
            var store = ResultsStore.Open(project.StorePath);
            var session = SupernetSession.Load(config, store);
            try
            {
                var evaluator = await AccuracyValidation.OpenAsync(config, session, store, n => { lock (notices) { notices.Add(n); } }, CancellationToken.None);
                return new ValidationRun(session, store, evaluator);
            }
            catch
            {
                session.Dispose();
                store.Dispose();
                throw;
            }
        }

        public int StoredAccuracies() => _store.ListAccuracies(Session.CheckpointHash, Session.Data.Key).Count;

        public async ValueTask DisposeAsync()
        {
            await Evaluator.DisposeAsync();
            Session.Dispose();
            _store.Dispose();
        }
    }
}
