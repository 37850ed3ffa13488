using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using Microsoft.Data.Sqlite;

namespace HwAwareNas.Core.Results;

/// <summary>
/// The SQLite file that keeps every measurement, accuracy evaluation and search of a project, keyed by device
/// fingerprint, so no work is done twice. Write-ahead logging and a busy timeout let a second process wait for
/// the file instead of failing or corrupting it; every write is its own transaction, so a crash loses at most
/// the write in flight. Storage contract (as Optuna's): a finished trial never changes. One instance may be used
/// from several threads; calls are serialised on its connection.
/// </summary>
public sealed class ResultsStore : IDisposable
{
    /// <summary>Folder, beside the yaml, that holds the store.</summary>
    public const string FolderName = ".hwnas";

    /// <summary>File name of the store inside <see cref="FolderName"/>.</summary>
    public const string FileName = "results.db";

    private const int BusyTimeoutMs = 30_000;

    // Objective values may be infinite (e.g. a failed evaluation's penalty); plain JSON cannot hold that.
    private static readonly JsonSerializerOptions MembersJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private ResultsStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The schema version this code writes (the file's <c>user_version</c> after opening).</summary>
    public static int SchemaVersion => ResultsSchema.Migrations.Count;

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The default store location for a config file: <c>.hwnas/results.db</c> beside it.</summary>
    public static string DefaultPath(string configPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configPath)) ?? ".";
        return System.IO.Path.Combine(folder, FolderName, FileName);
    }

    /// <summary>
    /// Opens (creating when absent) the store at <paramref name="path"/> and brings its schema up to
    /// <see cref="SchemaVersion"/> by running the missing migrations in order.
    /// </summary>
    /// <exception cref="HwNasException">The file is not a results store, or was written by a newer version.</exception>
    public static ResultsStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,

            // Without pooling the file is released on Dispose, so callers and tests can move or delete it.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutMs};"));
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            Execute(connection, null, "PRAGMA synchronous = NORMAL;");
            Execute(connection, null, "PRAGMA foreign_keys = ON;");
            Migrate(connection, fullPath);
            return new ResultsStore(connection, fullPath);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new HwNasException($"Cannot open the results store '{fullPath}': {e.Message}", ExitCode.MissingInput, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The schema version of the file (its <c>user_version</c>).</summary>
    public int ReadSchemaVersion()
    {
        lock (_gate)
        {
            return ReadUserVersion(_connection, null);
        }
    }

    /// <summary>Runs SQLite's <c>integrity_check</c>; returns <c>ok</c> for a sound file, else the problems found.</summary>
    public string CheckIntegrity()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            var lines = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
    }

    /// <summary>Records the details behind a fingerprint key (kept once per key).</summary>
    public void SaveDevice(DeviceFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        Write(
            "INSERT OR IGNORE INTO devices (fingerprint_key, description, recorded_at) VALUES ($key, $text, $at);",
            ("$key", fingerprint.Key),
            ("$text", fingerprint.CanonicalText),
            ("$at", Timestamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>Every fingerprint recorded: key and canonical text, newest first.</summary>
    public IReadOnlyList<(string Key, string Description)> ListDevices()
    {
        lock (_gate)
        {
            using var command = Command("SELECT fingerprint_key, description FROM devices ORDER BY recorded_at DESC, fingerprint_key;");
            using var reader = command.ExecuteReader();
            var devices = new List<(string, string)>();
            while (reader.Read())
            {
                devices.Add((reader.GetString(0), reader.GetString(1)));
            }

            return devices;
        }
    }

    /// <summary>The canonical text stored for a fingerprint key, or null when none was saved.</summary>
    public string? TryGetDeviceDescription(string fingerprintKey)
    {
        lock (_gate)
        {
            using var command = Command("SELECT description FROM devices WHERE fingerprint_key = $key;", ("$key", fingerprintKey));
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Saves a measurement, replacing any earlier one with the same key (a re-measurement).</summary>
    public void SaveMeasurement(MeasurementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var s = record.Statistics;
        var k = record.Key;
        Write(
            """
            INSERT INTO measurements (fingerprint_key, family, settings_hash, genome_key, metric,
                trimmed_mean, median, p90, stdev, min, max, n, trim, p10,
                session_creation_ms, first_inference_ms, peak_working_set_bytes, suspect, measured_at, measured_by)
            VALUES ($fp, $family, $settings, $genome, $metric, $mean, $median, $p90, $stdev, $min, $max, $n, $trim, $p10,
                $session, $first, $peak, $suspect, $at, $by)
            ON CONFLICT (fingerprint_key, family, settings_hash, genome_key, metric) DO UPDATE SET
                trimmed_mean = excluded.trimmed_mean, median = excluded.median, p90 = excluded.p90,
                stdev = excluded.stdev, min = excluded.min, max = excluded.max, n = excluded.n, trim = excluded.trim, p10 = excluded.p10,
                session_creation_ms = excluded.session_creation_ms, first_inference_ms = excluded.first_inference_ms,
                peak_working_set_bytes = excluded.peak_working_set_bytes, suspect = excluded.suspect,
                measured_at = excluded.measured_at, measured_by = excluded.measured_by;
            """,
            ("$fp", k.FingerprintKey),
            ("$family", k.Family),
            ("$settings", k.SettingsHash),
            ("$genome", k.GenomeKey),
            ("$metric", k.Metric),
            ("$mean", s.TrimmedMean),
            ("$median", s.Median),
            ("$p90", s.P90),
            ("$stdev", s.StandardDeviation),
            ("$min", s.Min),
            ("$max", s.Max),
            ("$n", s.Count),
            ("$trim", s.TrimFraction),
            ("$p10", double.IsNaN(s.P10) ? DBNull.Value : (object)s.P10),
            ("$session", record.SessionCreationMs),
            ("$first", record.FirstInferenceMs),
            ("$peak", record.PeakWorkingSetBytes),
            ("$suspect", record.Suspect ? 1 : 0),
            ("$at", Timestamp(record.MeasuredAt)),
            ("$by", record.MeasuredBy is null ? DBNull.Value : record.MeasuredBy));
    }

    /// <summary>Flags stored measurements as suspect (a drift check failed after they were taken); one transaction.</summary>
    /// <returns>How many stored rows were flagged.</returns>
    public int MarkSuspect(IReadOnlyCollection<MeasurementKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var changed = 0;
            foreach (var k in keys)
            {
                using var command = Command(
                    """
                    UPDATE measurements SET suspect = 1 WHERE fingerprint_key = $fp AND family = $family
                        AND settings_hash = $settings AND genome_key = $genome AND metric = $metric;
                    """,
                    ("$fp", k.FingerprintKey),
                    ("$family", k.Family),
                    ("$settings", k.SettingsHash),
                    ("$genome", k.GenomeKey),
                    ("$metric", k.Metric));
                command.Transaction = transaction;
                changed += command.ExecuteNonQuery();
            }

            transaction.Commit();
            return changed;
        }
    }

    /// <summary>The stored measurement with <paramref name="key"/>, or null when there is none.</summary>
    public MeasurementRecord? TryGetMeasurement(MeasurementKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return QueryMeasurements(
            """
            WHERE fingerprint_key = $fp AND family = $family AND settings_hash = $settings
                AND genome_key = $genome AND metric = $metric
            """,
            ("$fp", key.FingerprintKey),
            ("$family", key.Family),
            ("$settings", key.SettingsHash),
            ("$genome", key.GenomeKey),
            ("$metric", key.Metric)).SingleOrDefault();
    }

    /// <summary>Every measurement taken on the device with <paramref name="fingerprintKey"/>, oldest first.</summary>
    public IReadOnlyList<MeasurementRecord> ListMeasurements(string fingerprintKey) =>
        QueryMeasurements("WHERE fingerprint_key = $fp", ("$fp", fingerprintKey));

    /// <summary>The measurements of one family and settings on one device for one metric, oldest first.</summary>
    public IReadOnlyList<MeasurementRecord> ListMeasurements(string fingerprintKey, string family, string settingsHash, string metric) =>
        QueryMeasurements(
            "WHERE fingerprint_key = $fp AND family = $family AND settings_hash = $settings AND metric = $metric",
            ("$fp", fingerprintKey),
            ("$family", family),
            ("$settings", settingsHash),
            ("$metric", metric));

    /// <summary>The fingerprint keys that have measurements, for warm starts from another device.</summary>
    public IReadOnlyList<string> ListFingerprintKeys()
    {
        lock (_gate)
        {
            using var command = Command("SELECT DISTINCT fingerprint_key FROM measurements ORDER BY fingerprint_key;");
            using var reader = command.ExecuteReader();
            var keys = new List<string>();
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        }
    }

    /// <summary>Saves an accuracy evaluation, replacing an earlier one of the same checkpoint, genome and dataset.</summary>
    public void SaveAccuracy(AccuracyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write(
            """
            INSERT INTO accuracy_evaluations (checkpoint_hash, genome_key, dataset_key, value, evaluated_at)
            VALUES ($checkpoint, $genome, $dataset, $value, $at)
            ON CONFLICT (checkpoint_hash, genome_key, dataset_key) DO UPDATE SET
                value = excluded.value, evaluated_at = excluded.evaluated_at;
            """,
            ("$checkpoint", record.CheckpointHash),
            ("$genome", record.GenomeKey),
            ("$dataset", record.DatasetKey),
            ("$value", record.Value),
            ("$at", Timestamp(record.EvaluatedAt)));
    }

    /// <summary>The stored accuracy of a sub-network, or null when it was never evaluated with that checkpoint and data.</summary>
    public AccuracyRecord? TryGetAccuracy(string checkpointHash, string genomeKey, string datasetKey) =>
        QueryAccuracies(
            "WHERE checkpoint_hash = $checkpoint AND genome_key = $genome AND dataset_key = $dataset",
            ("$checkpoint", checkpointHash),
            ("$genome", genomeKey),
            ("$dataset", datasetKey)).SingleOrDefault();

    /// <summary>Every accuracy evaluated with a checkpoint on a dataset, oldest first.</summary>
    public IReadOnlyList<AccuracyRecord> ListAccuracies(string checkpointHash, string datasetKey) =>
        QueryAccuracies(
            "WHERE checkpoint_hash = $checkpoint AND dataset_key = $dataset",
            ("$checkpoint", checkpointHash),
            ("$dataset", datasetKey));

    /// <summary>Records a passed numeric self-check under its key (a later pass replaces it).</summary>
    public void SaveNumericCheck(NumericCheckRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write(
            "INSERT OR REPLACE INTO numeric_checks (check_key, max_difference, tolerance, description, checked_at) VALUES ($key, $diff, $tol, $text, $at);",
            ("$key", record.Key),
            ("$diff", record.MaxDifference),
            ("$tol", record.Tolerance),
            ("$text", record.Description),
            ("$at", Timestamp(record.CheckedAt)));
    }

    /// <summary>The passed numeric self-check stored under <paramref name="key"/>, or null.</summary>
    public NumericCheckRecord? TryGetNumericCheck(string key)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT max_difference, tolerance, description, checked_at FROM numeric_checks WHERE check_key = $key;", ("$key", key));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new NumericCheckRecord(key, reader.GetDouble(0), reader.GetDouble(1), reader.GetString(2), ParseTimestamp(reader.GetString(3)))
                : null;
        }
    }

    /// <summary>The study named <paramref name="name"/>, or null when the store has none.</summary>
    public StudyRecord? TryGetStudy(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            using var select = Command($"SELECT {StudyColumns} FROM studies WHERE name = $name;", ("$name", name));
            using var reader = select.ExecuteReader();
            return reader.Read() ? ReadStudy(reader) : null;
        }
    }

    /// <summary>
    /// The studies whose name starts with <paramref name="namePrefix"/>, oldest first: the earlier runs a warm start
    /// may begin from (study names lead with what makes populations comparable, e.g. family, settings and checkpoint).
    /// </summary>
    public IReadOnlyList<StudyRecord> ListStudies(string namePrefix)
    {
        ArgumentNullException.ThrowIfNull(namePrefix);
        lock (_gate)
        {
            using var select = Command(
                $"SELECT {StudyColumns} FROM studies WHERE substr(name, 1, length($prefix)) = $prefix ORDER BY id;", ("$prefix", namePrefix));
            using var reader = select.ExecuteReader();
            var studies = new List<StudyRecord>();
            while (reader.Read())
            {
                studies.Add(ReadStudy(reader));
            }

            return studies;
        }
    }

    /// <summary>Stores a built predictor, replacing the one stored for the same device, family, settings and metric.</summary>
    public void SavePredictor(StoredPredictorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write(
            """
            INSERT OR REPLACE INTO predictors (fingerprint_key, family, settings_hash, metric, predictor, encoding, seed, samples_json,
                holdout_json, kendall_tau, mape, targets_met, build_json, built_at)
            VALUES ($fp, $family, $settings, $metric, $predictor, $encoding, $seed, $samples, $holdout, $tau, $mape, $met, $build, $at);
            """,
            ("$fp", record.FingerprintKey),
            ("$family", record.Family),
            ("$settings", record.SettingsHash),
            ("$metric", record.Metric),
            ("$predictor", record.Predictor),
            ("$encoding", record.Encoding),
            ("$seed", record.Seed),
            ("$samples", JsonSerializer.Serialize(record.Samples)),
            ("$holdout", JsonSerializer.Serialize(record.HoldOut)),
            ("$tau", double.IsFinite(record.KendallTau) ? record.KendallTau : (object)DBNull.Value),
            ("$mape", double.IsFinite(record.Mape) ? record.Mape : (object)DBNull.Value),
            ("$met", record.TargetsMet ? 1 : 0),
            ("$build", record.BuildJson),
            ("$at", Timestamp(record.BuiltAt)));
    }

    /// <summary>The predictor built for a device, family, settings and metric, or null.</summary>
    public StoredPredictorRecord? TryGetPredictor(string fingerprintKey, string family, string settingsHash, string metric)
    {
        lock (_gate)
        {
            using var command = Command(
                """
                SELECT predictor, encoding, seed, samples_json, holdout_json, kendall_tau, mape, targets_met, build_json, built_at FROM predictors
                WHERE fingerprint_key = $fp AND family = $family AND settings_hash = $settings AND metric = $metric;
                """,
                ("$fp", fingerprintKey),
                ("$family", family),
                ("$settings", settingsHash),
                ("$metric", metric));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new StoredPredictorRecord(
                    fingerprintKey, family, settingsHash, metric, reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    JsonSerializer.Deserialize<List<PredictorSample>>(reader.GetString(3)) ?? [],
                    JsonSerializer.Deserialize<List<PredictorSample>>(reader.GetString(4)) ?? [],
                    DoubleOrNaN(reader, 5), DoubleOrNaN(reader, 6), reader.GetInt32(7) != 0, reader.GetString(8), ParseTimestamp(reader.GetString(9)))
                : null;
        }
    }

    /// <summary>The study named <paramref name="name"/>, created with <paramref name="settingsJson"/> when absent.</summary>
    public StudyRecord GetOrCreateStudy(string name, string settingsJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settingsJson);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var insert = Command(
                "INSERT OR IGNORE INTO studies (name, settings_json, created_at) VALUES ($name, $settings, $at);",
                ("$name", name),
                ("$settings", settingsJson),
                ("$at", Timestamp(DateTimeOffset.UtcNow))))
            {
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }

            using var select = Command($"SELECT {StudyColumns} FROM studies WHERE name = $name;", ("$name", name));
            select.Transaction = transaction;
            StudyRecord study;
            using (var reader = select.ExecuteReader())
            {
                reader.Read();
                study = ReadStudy(reader);
            }

            transaction.Commit();
            return study;
        }
    }

    // The columns ReadStudy reads, in its order.
    private const string StudyColumns = "id, name, settings_json, created_at";

    private static StudyRecord ReadStudy(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), ParseTimestamp(reader.GetString(3)));

    /// <summary>Starts the next trial of a study (numbered in start order) in the <see cref="TrialState.Running"/> state.</summary>
    public TrialRecord StartTrial(long studyId, string stage, string genomeKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(genomeKey);
        var startedAt = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = Command(
                """
                INSERT INTO trials (study_id, number, stage, genome_key, state, values_text, origin, constraint_violation, started_at)
                SELECT $study, COALESCE(MAX(number) + 1, 0), $stage, $genome, $state, '', 0, 0, $at FROM trials WHERE study_id = $study
                RETURNING number;
                """,
                ("$study", studyId),
                ("$stage", stage),
                ("$genome", genomeKey),
                ("$state", (int)TrialState.Running),
                ("$at", Timestamp(startedAt)));
            command.Transaction = transaction;
            var number = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            transaction.Commit();
            return new TrialRecord(studyId, number, stage, genomeKey, TrialState.Running, [], EvaluationOrigin.Measured, 0, startedAt, null);
        }
    }

    /// <summary>Finishes a running trial with its values (complete) or none (failed).</summary>
    /// <exception cref="HwNasException">The trial does not exist or has already finished (finished trials never change).</exception>
    public TrialRecord FinishTrial(
        long studyId, int number, TrialState state, IReadOnlyList<double> values, EvaluationOrigin origin = EvaluationOrigin.Measured, double constraintViolation = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireFinished(state);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = Command(
                """
                UPDATE trials SET state = $state, values_text = $values, origin = $origin, constraint_violation = $violation, finished_at = $at
                WHERE study_id = $study AND number = $number AND state = $running;
                """,
                ("$state", (int)state),
                ("$values", ValuesText(values)),
                ("$origin", (int)origin),
                ("$violation", constraintViolation),
                ("$at", Timestamp(DateTimeOffset.UtcNow)),
                ("$study", studyId),
                ("$number", number),
                ("$running", (int)TrialState.Running));
            command.Transaction = transaction;
            if (command.ExecuteNonQuery() != 1)
            {
                throw new HwNasException(
                    string.Create(CultureInfo.InvariantCulture, $"Trial {number} of study {studyId} does not exist or has already finished; finished trials never change."),
                    ExitCode.Failure);
            }

            transaction.Commit();
        }

        return ListTrials(studyId).Single(t => t.Number == number);
    }

    /// <summary>
    /// Appends an already finished trial in one transaction (a search that records trials only once evaluated);
    /// its number must be the study's next.
    /// </summary>
    /// <exception cref="HwNasException">The trial is not finished or its number is out of sequence.</exception>
    public void AppendTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        RequireFinished(trial.State);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var next = Command("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = $study;", ("$study", trial.StudyId)))
            {
                next.Transaction = transaction;
                var expected = Convert.ToInt32(next.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (trial.Number != expected)
                {
                    throw new HwNasException(
                        string.Create(CultureInfo.InvariantCulture, $"Trial number {trial.Number} of study {trial.StudyId} is out of sequence; the next is {expected}."),
                        ExitCode.Failure);
                }
            }

            using var insert = Command(
                """
                INSERT INTO trials (study_id, number, stage, genome_key, state, values_text, origin, constraint_violation, started_at, finished_at)
                VALUES ($study, $number, $stage, $genome, $state, $values, $origin, $violation, $started, $finished);
                """,
                ("$study", trial.StudyId),
                ("$number", trial.Number),
                ("$stage", trial.Stage),
                ("$genome", trial.GenomeKey),
                ("$state", (int)trial.State),
                ("$values", ValuesText(trial.Values)),
                ("$origin", (int)trial.Origin),
                ("$violation", trial.ConstraintViolation),
                ("$started", Timestamp(trial.StartedAt)),
                ("$finished", Timestamp(trial.FinishedAt ?? DateTimeOffset.UtcNow)));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>The trials of a study in number order.</summary>
    public IReadOnlyList<TrialRecord> ListTrials(long studyId)
    {
        lock (_gate)
        {
            using var command = Command(
                """
                SELECT study_id, number, stage, genome_key, state, values_text, origin, constraint_violation, started_at, finished_at
                FROM trials WHERE study_id = $study ORDER BY number;
                """,
                ("$study", studyId));
            using var reader = command.ExecuteReader();
            var trials = new List<TrialRecord>();
            while (reader.Read())
            {
                trials.Add(new TrialRecord(
                    reader.GetInt64(0),
                    reader.GetInt32(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    (TrialState)reader.GetInt32(4),
                    ParseValues(reader.GetString(5)),
                    (EvaluationOrigin)reader.GetInt32(6),
                    reader.GetDouble(7),
                    ParseTimestamp(reader.GetString(8)),
                    reader.IsDBNull(9) ? null : ParseTimestamp(reader.GetString(9))));
            }

            return trials;
        }
    }

    /// <summary>Appends the population a stage had after a generation.</summary>
    public void AppendPopulation(PopulationRecord population)
    {
        ArgumentNullException.ThrowIfNull(population);
        Write(
            """
            INSERT INTO populations (study_id, stage, generation, evaluations, members_json, saved_at)
            VALUES ($study, $stage, $generation, $evaluations, $members, $at);
            """,
            ("$study", population.StudyId),
            ("$stage", population.Stage),
            ("$generation", population.Generation),
            ("$evaluations", population.Evaluations),
            ("$members", JsonSerializer.Serialize(population.Members, MembersJson)),
            ("$at", Timestamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>The populations of a study in the order they were appended.</summary>
    public IReadOnlyList<PopulationRecord> ListPopulations(long studyId)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT study_id, stage, generation, evaluations, members_json FROM populations WHERE study_id = $study ORDER BY id;",
                ("$study", studyId));
            using var reader = command.ExecuteReader();
            var populations = new List<PopulationRecord>();
            while (reader.Read())
            {
                populations.Add(new PopulationRecord(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    JsonSerializer.Deserialize<List<PopulationMember>>(reader.GetString(4), MembersJson) ?? []));
            }

            return populations;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        // IMMEDIATE takes the write lock before reading the version, so two processes opening a new file
        // cannot both run the same migration.
        using var transaction = connection.BeginTransaction();
        var version = ReadUserVersion(connection, transaction);
        if (version > ResultsSchema.Migrations.Count)
        {
            throw new HwNasException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The results store '{path}' has schema version {version}, newer than this tool's {ResultsSchema.Migrations.Count}; update the tool or use another store."),
                ExitCode.MissingInput);
        }

        for (var next = version; next < ResultsSchema.Migrations.Count; next++)
        {
            Execute(connection, transaction, ResultsSchema.Migrations[next]);
        }

        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {ResultsSchema.Migrations.Count};"));
        transaction.Commit();
    }

    private static int ReadUserVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void RequireFinished(TrialState state)
    {
        if (state == TrialState.Running)
        {
            throw new HwNasException("A trial can only be finished as complete or failed.", ExitCode.Failure);
        }
    }

    private static string ValuesText(IReadOnlyList<double> values) =>
        string.Join(' ', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] ParseValues(string text) =>
        text.Length == 0 ? [] : [.. text.Split(' ').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    // Rows from schema 1 lack the fastest/slowest run and the trim fraction.
    private static double DoubleOrNaN(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private void Write(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = Command(sql, parameters);
            command.Transaction = transaction;
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private List<MeasurementRecord> QueryMeasurements(string where, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(
                $"""
                SELECT fingerprint_key, family, settings_hash, genome_key, metric, trimmed_mean, median, p90, stdev, min, max,
                    n, trim, session_creation_ms, first_inference_ms, peak_working_set_bytes, suspect, measured_at, p10, measured_by
                FROM measurements {where} ORDER BY measured_at, id;
                """,
                parameters);
            using var reader = command.ExecuteReader();
            var records = new List<MeasurementRecord>();
            while (reader.Read())
            {
                records.Add(new MeasurementRecord(
                    new MeasurementKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                    new MeasurementStatistics(
                        reader.GetDouble(5),
                        reader.GetDouble(6),
                        reader.GetDouble(7),
                        reader.GetDouble(8),
                        DoubleOrNaN(reader, 9),
                        DoubleOrNaN(reader, 10),
                        reader.GetInt32(11),
                        DoubleOrNaN(reader, 12),
                        DoubleOrNaN(reader, 18)),
                    reader.GetDouble(13),
                    reader.GetDouble(14),
                    reader.GetInt64(15),
                    reader.GetInt32(16) != 0,
                    ParseTimestamp(reader.GetString(17)),
                    reader.IsDBNull(19) ? null : reader.GetString(19)));
            }

            return records;
        }
    }

    private List<AccuracyRecord> QueryAccuracies(string where, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(
                $"SELECT checkpoint_hash, genome_key, dataset_key, value, evaluated_at FROM accuracy_evaluations {where} ORDER BY evaluated_at, id;",
                parameters);
            using var reader = command.ExecuteReader();
            var records = new List<AccuracyRecord>();
            while (reader.Read())
            {
                records.Add(new AccuracyRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), ParseTimestamp(reader.GetString(4))));
            }

            return records;
        }
    }
}
