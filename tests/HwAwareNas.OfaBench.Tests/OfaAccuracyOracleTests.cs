using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.OfaBench.Tests;

[TestClass]
public sealed class OfaAccuracyOracleTests
{
    private static readonly IReadOnlyList<LoggedSubnet> Logs = OfaSearchLogs.ReadFolder(OfaSearchLogsTests.Fixtures, OfaSearchLogsTests.Family);

    [TestMethod]
    public void The_same_logs_and_seed_give_the_same_oracle()
    {
        // Trees, whose fit draws from the seed, plus ridge: the choice between them must repeat too.
        OracleModel[] models = [new("ridge", "onehot"), new("gbdt", "onehot")];
        using var first = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 3, models);
        using var second = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 3, models);
        var random = new Random(11);
        var genomes = Enumerable.Range(0, 30).Select(_ => OfaSearchLogsTests.Family.Sample(random)).ToList();

        CollectionAssert.AreEqual(first.Quality.ToList(), second.Quality.ToList());
        CollectionAssert.AreEqual(genomes.Select(first.Accuracy).ToList(), genomes.Select(second.Accuracy).ToList());
        Assert.IsTrue(genomes.All(g => !first.IsLogged(g)), "random genomes should not be among the 40 logged ones");
    }

    [TestMethod]
    public void Every_candidate_is_scored_and_the_best_held_out_tau_is_chosen()
    {
        OracleModel[] models = [new("ridge", "onehot"), new("ridge", "fcc"), new("ridge", "integer")];
        using var oracle = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 3, models);

        Assert.HasCount(models.Length, oracle.Quality);
        Assert.AreEqual(oracle.Quality.Max(q => q.Quality.KendallTau), oracle.Quality.Single(q => q.Chosen).Quality.KendallTau);
        Assert.AreEqual(8, oracle.HeldOutCount);
        Assert.IsTrue(oracle.Quality.All(q => q.Quality.Count == oracle.HeldOutCount));
    }

    [TestMethod]
    public void A_logged_subnetwork_answers_with_its_logged_value_whatever_its_unused_genes()
    {
        using var oracle = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 3, [new("ridge", "onehot")]);
        var logged = Logs[5];

        // Gene 19 (the fourth block of the last unit) is unused when that unit is shallower than 4.
        var depth = OfaSearchLogsTests.Family.Genes[44].Values[logged.Genome[44]];
        var variant = depth < 4 ? logged.Genome.With(19, 2) : logged.Genome;

        Assert.AreEqual(logged.Accuracy, oracle.Accuracy(variant));
        Assert.IsTrue(oracle.IsLogged(variant));
    }

    [TestMethod]
    public void A_different_seed_splits_differently()
    {
        using var first = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 3, [new("ridge", "onehot")]);
        using var second = OfaAccuracyOracle.Fit(OfaSearchLogsTests.Family, Logs, seed: 4, [new("ridge", "onehot")]);

        Assert.AreNotEqual(first.Quality[0].Quality, second.Quality[0].Quality);
    }
}
