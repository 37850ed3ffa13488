namespace HwAwareNas.Core.Results;

/// <summary>
/// The results store's schema history. Migration <c>i</c> takes a file from <c>user_version</c> i to i + 1;
/// entries are only ever appended, so any older file can be brought up to date in order.
/// </summary>
internal static class ResultsSchema
{
    /// <summary>The migrations, oldest first.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: measurements and accuracy evaluations.
        """
        CREATE TABLE measurements (
            id INTEGER PRIMARY KEY,
            fingerprint_key TEXT NOT NULL,
            family TEXT NOT NULL,
            settings_hash TEXT NOT NULL,
            genome_key TEXT NOT NULL,
            metric TEXT NOT NULL,
            trimmed_mean REAL NOT NULL,
            median REAL NOT NULL,
            p90 REAL NOT NULL,
            stdev REAL NOT NULL,
            n INTEGER NOT NULL,
            session_creation_ms REAL NOT NULL,
            first_inference_ms REAL NOT NULL,
            peak_working_set_bytes INTEGER NOT NULL,
            suspect INTEGER NOT NULL DEFAULT 0,
            measured_at TEXT NOT NULL,
            UNIQUE (fingerprint_key, family, settings_hash, genome_key, metric));
        CREATE TABLE accuracy_evaluations (
            id INTEGER PRIMARY KEY,
            checkpoint_hash TEXT NOT NULL,
            genome_key TEXT NOT NULL,
            dataset_key TEXT NOT NULL,
            value REAL NOT NULL,
            evaluated_at TEXT NOT NULL,
            UNIQUE (checkpoint_hash, genome_key, dataset_key));
        """,

        // 2: searches (Optuna-like studies, trials, and the population of each generation, append-only).
        """
        CREATE TABLE studies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            settings_json TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE trials (
            study_id INTEGER NOT NULL REFERENCES studies (id),
            number INTEGER NOT NULL,
            stage TEXT NOT NULL,
            genome_key TEXT NOT NULL,
            state INTEGER NOT NULL,
            values_text TEXT NOT NULL,
            origin INTEGER NOT NULL,
            constraint_violation REAL NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            PRIMARY KEY (study_id, number));
        CREATE TABLE populations (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies (id),
            stage TEXT NOT NULL,
            generation INTEGER NOT NULL,
            evaluations INTEGER NOT NULL,
            members_json TEXT NOT NULL,
            saved_at TEXT NOT NULL);
        """,

        // 3: device descriptions behind fingerprint keys; fastest/slowest run and trim fraction per measurement
        // (unknown, NULL, for rows measured before).
        """
        CREATE TABLE devices (
            fingerprint_key TEXT PRIMARY KEY,
            description TEXT NOT NULL,
            recorded_at TEXT NOT NULL);
        ALTER TABLE measurements ADD COLUMN min REAL;
        ALTER TABLE measurements ADD COLUMN max REAL;
        ALTER TABLE measurements ADD COLUMN trim REAL;
        CREATE INDEX measurements_by_device ON measurements (fingerprint_key, family, settings_hash, metric);
        """,

        // 4: the 10th percentile per measurement (NULL for rows measured before; they are measured again when asked for).
        """
        ALTER TABLE measurements ADD COLUMN p10 REAL;
        """,

        // 5: passed numeric self-checks (TorchSharp vs ONNX Runtime), keyed by machine, libraries and weights.
        """
        CREATE TABLE numeric_checks (
            check_key TEXT PRIMARY KEY,
            max_difference REAL NOT NULL,
            tolerance REAL NOT NULL,
            description TEXT NOT NULL,
            checked_at TEXT NOT NULL);
        """,

        // 6: predictors built by 'predictors build', one per device, family, settings and metric (a rebuild replaces it):
        // what refits them exactly and their held-out scores (NULL where undefined).
        """
        CREATE TABLE predictors (
            fingerprint_key TEXT NOT NULL,
            family TEXT NOT NULL,
            settings_hash TEXT NOT NULL,
            metric TEXT NOT NULL,
            predictor TEXT NOT NULL,
            encoding TEXT NOT NULL,
            seed INTEGER NOT NULL,
            samples_json TEXT NOT NULL,
            holdout_json TEXT NOT NULL,
            kendall_tau REAL,
            mape REAL,
            targets_met INTEGER NOT NULL,
            build_json TEXT NOT NULL,
            built_at TEXT NOT NULL,
            PRIMARY KEY (fingerprint_key, family, settings_hash, metric));
        """,

        // 7: which device agent took a measurement (NULL: this machine, in-process).
        """
        ALTER TABLE measurements ADD COLUMN measured_by TEXT;
        """,
    ];
}
