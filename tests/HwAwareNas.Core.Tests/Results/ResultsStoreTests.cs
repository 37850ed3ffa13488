using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Results;
using Microsoft.Data.Sqlite;

namespace HwAwareNas.Core.Tests.Results;

[TestClass]
public sealed class ResultsStoreTests
{
    private DirectoryInfo _folder = null!;

    private string StorePath => Path.Combine(_folder.FullName, ResultsStore.FolderName, ResultsStore.FileName);

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("hwnas-store-");

    [TestCleanup]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    [TestMethod]
    public void DefaultPath_IsBesideTheConfig()
    {
        var config = Path.Combine(_folder.FullName, "app", "hwnas.yaml");

        Assert.AreEqual(Path.Combine(_folder.FullName, "app", ".hwnas", "results.db"), ResultsStore.DefaultPath(config));
    }

    [TestMethod]
    public void NewStore_UsesWalAndTheCurrentSchemaVersion()
    {
        using var store = ResultsStore.Open(StorePath);

        Assert.AreEqual(ResultsStore.SchemaVersion, store.ReadSchemaVersion());
        Assert.IsGreaterThanOrEqualTo(3, ResultsStore.SchemaVersion);
        Assert.AreEqual("ok", store.CheckIntegrity());
        Assert.AreEqual("wal", Scalar("PRAGMA journal_mode;"));
    }

    [TestMethod]
    public void Predictor_RoundTripsItsSamplesAndScores_AndARebuildReplacesIt()
    {
        var built = new StoredPredictorRecord(
            "fp", "mobilenetv3", "settings", "latency_ms", "ridge", "integer", 3,
            [new PredictorSample("0-1", 1.5), new PredictorSample("1-0", 2.25)], [new PredictorSample("1-1", 3)],
            double.NaN, 0.04, TargetsMet: false, """{"rounds":[]}""", new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        using (var store = ResultsStore.Open(StorePath))
        {
            store.SavePredictor(built);
            store.SavePredictor(built with { KendallTau = 0.91, TargetsMet = true });
        }

        using var reopened = ResultsStore.Open(StorePath);
        var read = reopened.TryGetPredictor("fp", "mobilenetv3", "settings", "latency_ms");

        Assert.IsNotNull(read);
        CollectionAssert.AreEqual(built.Samples.ToArray(), read.Samples.ToArray());
        CollectionAssert.AreEqual(built.HoldOut.ToArray(), read.HoldOut.ToArray());
        Assert.AreEqual(0.91, read.KendallTau);
        Assert.IsTrue(read.TargetsMet);
        Assert.AreEqual(built with { KendallTau = 0.91, TargetsMet = true, Samples = read.Samples, HoldOut = read.HoldOut }, read);
        Assert.IsNull(reopened.TryGetPredictor("other-device", "mobilenetv3", "settings", "latency_ms"));
    }

    [TestMethod]
    public void Measurement_RoundTripsEveryField()
    {
        var record = Measurement("0-1-2", 1.25, suspect: false);
        using (var store = ResultsStore.Open(StorePath))
        {
            store.SaveMeasurement(record);
        }

        using var reopened = ResultsStore.Open(StorePath);
        var loaded = reopened.TryGetMeasurement(record.Key);

        Assert.AreEqual(record, loaded);
        Assert.IsNull(reopened.TryGetMeasurement(record.Key with { Metric = "energy" }));
        Assert.IsNull(reopened.TryGetMeasurement(record.Key with { FingerprintKey = "other" }));
    }

    [TestMethod]
    public void SavingTheSameKeyAgain_ReplacesTheMeasurement()
    {
        using var store = ResultsStore.Open(StorePath);
        store.SaveMeasurement(Measurement("g", 1.0, suspect: true));
        store.SaveMeasurement(Measurement("g", 2.0, suspect: false));

        var all = store.ListMeasurements("fp1");

        Assert.HasCount(1, all);
        Assert.AreEqual(2.0, all[0].Statistics.TrimmedMean);
        Assert.IsFalse(all[0].Suspect);
    }

    [TestMethod]
    public void ListAndMarkSuspect_WorkPerDeviceAndKey()
    {
        using var store = ResultsStore.Open(StorePath);
        store.SaveMeasurement(Measurement("a", 1.0, suspect: false));
        store.SaveMeasurement(Measurement("b", 2.0, suspect: false));
        store.SaveMeasurement(Measurement("c", 3.0, suspect: false) with
        {
            Key = new MeasurementKey("fp2", "mobilenetv3", "s1", "c", "latency_ms"),
        });

        var flagged = store.MarkSuspect([Key("a"), Key("missing")]);

        Assert.AreEqual(1, flagged);
        CollectionAssert.AreEqual(new[] { "a", "b" }, store.ListMeasurements("fp1").Select(m => m.Key.GenomeKey).ToArray());
        Assert.IsTrue(store.TryGetMeasurement(Key("a"))!.Suspect);
        Assert.IsFalse(store.TryGetMeasurement(Key("b"))!.Suspect);
        Assert.HasCount(2, store.ListMeasurements("fp1", "mobilenetv3", "s1", "latency_ms"));
        Assert.IsEmpty(store.ListMeasurements("fp1", "resnet", "s1", "latency_ms"));
        CollectionAssert.AreEqual(new[] { "fp1", "fp2" }, store.ListFingerprintKeys().ToArray());
    }

    [TestMethod]
    public void Device_IsStoredOncePerKey()
    {
        var device = new DeviceFingerprint("cpu x", 2, 2, 1, "cpu", "onnxruntime 1.31.1", "linux", 1, "1x28x28", "all", "fp32");
        using var store = ResultsStore.Open(StorePath);
        store.SaveDevice(device);
        store.SaveDevice(device);

        Assert.AreEqual(device.CanonicalText, store.TryGetDeviceDescription(device.Key));
        Assert.IsNull(store.TryGetDeviceDescription("0000000000000000"));
    }

    [TestMethod]
    public void Accuracy_RoundTripsAndListsPerCheckpointAndDataset()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var store = ResultsStore.Open(StorePath);
        store.SaveAccuracy(new AccuracyRecord("ck1", "0-1", "val:10000", 0.875, at));
        store.SaveAccuracy(new AccuracyRecord("ck1", "1-1", "val:10000", 0.9, at));
        store.SaveAccuracy(new AccuracyRecord("ck2", "0-1", "val:10000", 0.5, at));

        Assert.AreEqual(0.875, store.TryGetAccuracy("ck1", "0-1", "val:10000")!.Value);
        Assert.AreEqual(at, store.TryGetAccuracy("ck1", "0-1", "val:10000")!.EvaluatedAt);
        Assert.IsNull(store.TryGetAccuracy("ck1", "0-1", "val:100"));
        Assert.HasCount(2, store.ListAccuracies("ck1", "val:10000"));
    }

    [TestMethod]
    public void Trials_AreNumberedAndAFinishedTrialNeverChanges()
    {
        using var store = ResultsStore.Open(StorePath);
        var study = store.GetOrCreateStudy("mnv3-local", """{"population":50}""");
        Assert.AreEqual(study.Id, store.GetOrCreateStudy("mnv3-local", "ignored").Id);
        Assert.AreEqual("""{"population":50}""", store.GetOrCreateStudy("mnv3-local", "ignored").SettingsJson);

        var first = store.StartTrial(study.Id, "validate", "0-1-2");
        var second = store.StartTrial(study.Id, "validate", "2-1-0");
        var finished = store.FinishTrial(study.Id, first.Number, TrialState.Complete, [0.875, 1.2345678901234]);
        store.FinishTrial(study.Id, second.Number, TrialState.Failed, []);

        Assert.AreEqual(0, first.Number);
        Assert.AreEqual(1, second.Number);
        CollectionAssert.AreEqual(new[] { 0.875, 1.2345678901234 }, finished.Values.ToArray());
        Assert.IsNotNull(finished.FinishedAt);
        var error = Assert.ThrowsExactly<HwNasException>(() => store.FinishTrial(study.Id, first.Number, TrialState.Failed, []));
        StringAssert.Contains(error.Message, "never change");
        var trials = store.ListTrials(study.Id);
        Assert.AreEqual(TrialState.Complete, trials[0].State);
        Assert.AreEqual(TrialState.Failed, trials[1].State);
        Assert.IsEmpty(trials[1].Values);
    }

    [TestMethod]
    public void Studies_AreListedByNamePrefixOldestFirst()
    {
        using var store = ResultsStore.Open(StorePath);
        var first = store.GetOrCreateStudy("mnv3-abc-local", "{}");
        store.GetOrCreateStudy("resnet-abc-local", "{}");
        var second = store.GetOrCreateStudy("mnv3-abc-other", "{}");

        CollectionAssert.AreEqual(new[] { first.Id, second.Id }, store.ListStudies("mnv3-abc-").Select(s => s.Id).ToArray());
        Assert.AreEqual("mnv3-abc-other", store.ListStudies("mnv3-abc-")[1].Name);
        Assert.IsEmpty(store.ListStudies("%"));
        Assert.AreEqual(first, store.TryGetStudy("mnv3-abc-local"));
    }

    [TestMethod]
    public void AppendedTrials_AreFinishedAndMustBeInSequence()
    {
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        using var store = ResultsStore.Open(StorePath);
        var study = store.GetOrCreateStudy("s", "{}");
        var trial = new TrialRecord(study.Id, 0, "nsga2", "0-1", TrialState.Complete, [0.9, double.PositiveInfinity], EvaluationOrigin.Predicted, 0.25, at, at.AddSeconds(1));

        store.AppendTrial(trial);

        var loaded = store.ListTrials(study.Id).Single();
        Assert.AreEqual(trial with { Values = loaded.Values }, loaded);
        CollectionAssert.AreEqual(new[] { 0.9, double.PositiveInfinity }, loaded.Values.ToArray());
        Assert.ThrowsExactly<HwNasException>(() => store.AppendTrial(trial));
        Assert.ThrowsExactly<HwNasException>(() => store.AppendTrial(trial with { Number = 1, State = TrialState.Running }));
        store.AppendTrial(trial with { Number = 1, GenomeKey = "1-1" });
        Assert.HasCount(2, store.ListTrials(study.Id));
    }

    [TestMethod]
    public void Populations_RoundTripInAppendOrder()
    {
        using var store = ResultsStore.Open(StorePath);
        var study = store.GetOrCreateStudy("s", "{}");
        PopulationMember[] second = [new("c", [0.8, 1.5], EvaluationOrigin.Measured, 0), new("d", [0.7, double.PositiveInfinity], EvaluationOrigin.Predicted, 0.5)];
        store.AppendPopulation(new PopulationRecord(study.Id, "nsga2", 1, 20, [new("a", [0.5, 1.0], EvaluationOrigin.Predicted, 0)]));
        store.AppendPopulation(new PopulationRecord(study.Id, "nsga2", 2, 40, second));

        var populations = store.ListPopulations(study.Id);

        Assert.HasCount(2, populations);
        Assert.AreEqual(1, populations[0].Generation);
        Assert.AreEqual(40, populations[1].Evaluations);
        Assert.HasCount(2, populations[1].Members);
        for (var i = 0; i < second.Length; i++)
        {
            Assert.AreEqual(second[i].GenomeKey, populations[1].Members[i].GenomeKey);
            Assert.AreEqual(second[i].Origin, populations[1].Members[i].Origin);
            Assert.AreEqual(second[i].ConstraintViolation, populations[1].Members[i].ConstraintViolation);
            CollectionAssert.AreEqual(second[i].Values.ToArray(), populations[1].Members[i].Values.ToArray());
        }

        Assert.IsEmpty(store.ListPopulations(study.Id + 1));
    }

    [TestMethod]
    public void SchemaVersionOneFile_IsMigratedKeepingItsRows()
    {
        // A file as the first release wrote it: measurements and accuracy only, user_version 1.
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE measurements (id INTEGER PRIMARY KEY, fingerprint_key TEXT NOT NULL, family TEXT NOT NULL,
                    settings_hash TEXT NOT NULL, genome_key TEXT NOT NULL, metric TEXT NOT NULL, trimmed_mean REAL NOT NULL,
                    median REAL NOT NULL, p90 REAL NOT NULL, stdev REAL NOT NULL, n INTEGER NOT NULL,
                    session_creation_ms REAL NOT NULL, first_inference_ms REAL NOT NULL, peak_working_set_bytes INTEGER NOT NULL,
                    suspect INTEGER NOT NULL DEFAULT 0, measured_at TEXT NOT NULL,
                    UNIQUE (fingerprint_key, family, settings_hash, genome_key, metric));
                CREATE TABLE accuracy_evaluations (id INTEGER PRIMARY KEY, checkpoint_hash TEXT NOT NULL, genome_key TEXT NOT NULL,
                    dataset_key TEXT NOT NULL, value REAL NOT NULL, evaluated_at TEXT NOT NULL,
                    UNIQUE (checkpoint_hash, genome_key, dataset_key));
                INSERT INTO measurements (fingerprint_key, family, settings_hash, genome_key, metric, trimmed_mean, median, p90,
                    stdev, n, session_creation_ms, first_inference_ms, peak_working_set_bytes, suspect, measured_at)
                VALUES ('fp1', 'mobilenetv3', 's1', 'old', 'latency_ms', 1.5, 1.4, 1.9, 0.1, 150, 20, 3, 4096, 0, '2025-06-01T00:00:00.0000000+00:00');
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        using var store = ResultsStore.Open(StorePath);

        Assert.AreEqual(ResultsStore.SchemaVersion, store.ReadSchemaVersion());
        var old = store.TryGetMeasurement(Key("old"));
        Assert.IsNotNull(old);
        Assert.AreEqual(1.5, old.Statistics.TrimmedMean);
        Assert.AreEqual(150, old.Statistics.Count);
        Assert.IsTrue(double.IsNaN(old.Statistics.Min), "schema 1 never recorded the fastest run");
        Assert.IsTrue(double.IsNaN(old.Statistics.P10), "schema 1 never recorded the 10th percentile");

        // Tables and columns of later versions work on the migrated file.
        store.SaveMeasurement(Measurement("new", 2.0, suspect: false));
        Assert.AreEqual(2.0 * 0.8, store.TryGetMeasurement(Key("new"))!.Statistics.Min);
        Assert.AreEqual(2.0 * 0.85, store.TryGetMeasurement(Key("new"))!.Statistics.P10);
        var study = store.GetOrCreateStudy("s", "{}");
        Assert.AreEqual(0, store.StartTrial(study.Id, "validate", "g").Number);
        Assert.AreEqual("ok", store.CheckIntegrity());
    }

    [TestMethod]
    public void FileFromANewerVersion_IsRefusedWithAClearMessage()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.ThrowsExactly<HwNasException>(() => ResultsStore.Open(StorePath));

        StringAssert.Contains(error.Message, "newer");
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
    }

    [TestMethod]
    public void NotADatabase_IsReportedAsAMissingInput()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        File.WriteAllText(StorePath, "this is not an SQLite file, just text that is long enough to have a header......");

        var error = Assert.ThrowsExactly<HwNasException>(() => ResultsStore.Open(StorePath));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
    }

    [TestMethod]
    public void TwoConnectionsWritingAtOnce_LoseNothingAndKeepTheFileSound()
    {
        const int perWriter = 150;
        using (ResultsStore.Open(StorePath))
        {
            // Created up front so both writers start from the same schema.
        }

        void Write(string prefix)
        {
            using var store = ResultsStore.Open(StorePath);
            for (var i = 0; i < perWriter; i++)
            {
                store.SaveMeasurement(Measurement(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}"), i + 1, suspect: false));
                if (i % 10 == 0)
                {
                    var study = store.GetOrCreateStudy("shared", "{}");
                    store.StartTrial(study.Id, prefix, "g");
                }
            }
        }

        Parallel.Invoke(() => Write("a"), () => Write("b"));

        using var check = ResultsStore.Open(StorePath);
        var all = check.ListMeasurements("fp1");
        Assert.HasCount(2 * perWriter, all);
        Assert.AreEqual(42.0, check.TryGetMeasurement(Key("b-41"))!.Statistics.TrimmedMean);
        var trials = check.ListTrials(check.GetOrCreateStudy("shared", "{}").Id);
        CollectionAssert.AreEqual(Enumerable.Range(0, 2 * perWriter / 10).ToArray(), trials.Select(t => t.Number).ToArray());
        Assert.AreEqual("ok", check.CheckIntegrity());
    }

    private static MeasurementKey Key(string genome) => new("fp1", "mobilenetv3", "s1", genome, "latency_ms");

    private static MeasurementRecord Measurement(string genome, double mean, bool suspect) => new(
        Key(genome),
        new MeasurementStatistics(mean, mean * 0.99, mean * 1.2, mean * 0.05, mean * 0.8, mean * 1.5, 150, 0.2, mean * 0.85),
        SessionCreationMs: 12.5,
        FirstInferenceMs: 3.25,
        PeakWorkingSetBytes: 1_048_576,
        Suspect: suspect,
        MeasuredAt: new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));

    private string Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }
}
