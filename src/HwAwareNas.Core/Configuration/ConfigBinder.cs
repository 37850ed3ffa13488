using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// Builds the typed options from the values a <see cref="ConfigReader"/> read, filling defaults from
/// <see cref="ConfigKeys"/> and checking rules that span several keys. Problems go to the reader's diagnostics;
/// the result is only meaningful when there are none.
/// </summary>
internal sealed class ConfigBinder
{
    private static readonly string[] LabelKeys = ["dataset.train_labels", "dataset.val_labels"];
    private readonly ConfigReader _reader;
    private readonly string _sourcePath;

    /// <summary>Creates a binder over what <paramref name="reader"/> read from <paramref name="sourcePath"/>.</summary>
    public ConfigBinder(ConfigReader reader, string sourcePath)
    {
        _reader = reader;
        _sourcePath = sourcePath;
    }

    /// <summary>Binds every section.</summary>
    public HwNasConfig Bind()
    {
        var input = List<long>("supernet.input") is [var c, var h, var w] ? new InputShape((int)c, (int)h, (int)w) : new InputShape(1, 1, 1);
        var supernet = new SupernetOptions(
            Choice<SupernetFamily>("supernet.family"),
            Text("supernet.checkpoint"),
            input,
            Int("supernet.classes"),
            Get<FamilySettings>("supernet.settings") ?? FamilySettings.Empty);
        return new HwNasConfig(
            _sourcePath,
            supernet,
            BindDataset(input.Channels),
            BindDevice(),
            BindObjectives(),
            new ConstraintsOptions(
                Get<double?>("constraints.latency_ms"),
                Get<double?>("constraints.accuracy"),
                Get<long?>("constraints.params"),
                Get<long?>("constraints.macs"),
                Get<double?>("constraints.size_mb"),
                Get<double>("constraints.latency_margin"),
                Get<double?>("constraints.latency_fraction")),
            BindSearch(),
            BindTraining(),
            new OutputOptions(
                Has("output.dir") ? Text("output.dir") : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(_sourcePath)!, Text("output.dir"))),
                Choice<SelectionRule>("output.select"),
                Get<bool>("output.export_front"),
                Int("output.confirm")),
            new ConfigLocations(_reader.DisplayFile, _reader.KeyLocations),
            _reader.Values.Keys.Any(k => k.StartsWith("validation.", StringComparison.Ordinal)) ? BindValidation() : null)
        {
            Devices = List<string>("devices"),
        };
    }

    // The search always maximises measured accuracy against measured latency; params, macs and size are extra
    // objectives, so both must be named (the reader already rejects a word named twice).
    private List<ObjectiveKind> BindObjectives()
    {
        var objectives = List<string>("objectives").Select(ParseEnum<ObjectiveKind>).ToList();
        if (!Has("objectives"))
        {
            return objectives;
        }

        var missing = new[] { ObjectiveKind.Accuracy, ObjectiveKind.Latency }.Where(o => !objectives.Contains(o)).ToList();
        if (missing.Count > 0)
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, "objectives", "objectives",
                $"'objectives' lacks {string.Join(" and ", missing.Select(o => o.ToString().ToLowerInvariant()))}",
                "a list holding accuracy and latency, plus any of params, macs, size");
        }

        return objectives;
    }

    private DatasetOptions BindDataset(int channels)
    {
        var format = Choice<DatasetFormat>("dataset.format");
        if (format != DatasetFormat.Folder && Has("dataset.train") && Has("dataset.val"))
        {
            foreach (var labels in LabelKeys.Where(k => !Has(k)))
            {
                Report(ConfigDiagnosticCodes.MissingRequiredKey, "dataset", labels,
                    $"missing key '{labels.Split('.')[1]}' in 'dataset', required for format {format.ToString().ToLowerInvariant()}",
                    "a labels file path");
            }
        }

        return new DatasetOptions(
            format,
            Text("dataset.train"),
            Get<string>("dataset.train_labels"),
            Text("dataset.val"),
            Get<string>("dataset.val_labels"),
            Int("dataset.calibration_images"),
            Int("dataset.validation_images"),
            PerChannel("dataset.mean", channels),
            PerChannel("dataset.std", channels));
    }

    private List<double> PerChannel(string key, int channels)
    {
        var values = List<double>(key);
        if (values.Count == 1)
        {
            return [.. Enumerable.Repeat(values[0], channels)];
        }

        if (values.Count != channels && Has("supernet.input"))
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, key, key,
                $"'{key}' has {values.Count} values but the input has {channels} channels",
                $"one value, or {channels} (one per channel)");
        }

        return values;
    }

    private DeviceOptions BindDevice()
    {
        var intra = Int("device.intra_op_threads");
        if (Get<long?>("device.threads") is { } threads)
        {
            if (Has("device.intra_op_threads") && threads != intra)
            {
                Report(ConfigDiagnosticCodes.ConflictingKeys, "device.threads", "device.threads",
                    $"'device.threads' is {threads} but 'device.intra_op_threads' is {intra}",
                    "only one of them, or both equal");
            }

            intra = (int)threads;
        }

        var minRuns = Int("device.measure.adaptive.min_runs");
        var maxRuns = Int("device.measure.adaptive.max_runs");
        if (minRuns > maxRuns)
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, "device.measure.adaptive.min_runs", "device.measure.adaptive.min_runs",
                $"'min_runs' ({minRuns}) is above 'max_runs' ({maxRuns})", "min_runs <= max_runs");
        }

        var measure = new MeasureOptions(
            Int("device.measure.warmup"),
            Int("device.measure.runs"),
            Int("device.measure.rounds"),
            Get<double>("device.measure.trim"),
            Int("device.measure.reference_models"),
            Int("device.measure.reference_every"),
            Get<double>("device.measure.max_variance"),
            new AdaptiveMeasureOptions(
                Get<bool>("device.measure.adaptive.enabled"),
                Get<double>("device.measure.adaptive.max_relative_error"),
                minRuns,
                maxRuns),
            Choice<LatencyStatistic>("device.measure.statistic"));
        var profile = _reader.DeviceProfile;
        var name = Has("device.name") || profile is null ? Text("device.name") : profile.Value.Name;
        return new DeviceOptions(
            name,
            profile?.Path,
            Choice<ExecutionProvider>("device.provider"),
            intra,
            Int("device.inter_op_threads"),
            Int("device.batch"),
            Choice<GraphOptimization>("device.graph_optimization"),
            Choice<Precision>("device.precision"),
            measure,
            _reader.Values.Keys.Any(k => k.StartsWith("device.remote.", StringComparison.Ordinal)) ? BindRemote() : null);
    }

    private RemoteDeviceOptions BindRemote() =>
        new(Text("device.remote.kind"), BindConnection("device.remote"), Int("device.remote.models_per_call"));

    private ValidationOptions BindValidation()
    {
        var local = Get<bool>("validation.local");
        if (!_reader.Values.Keys.Any(k => k.StartsWith("validation.remote.", StringComparison.Ordinal)))
        {
            if (!local)
            {
                Report(ConfigDiagnosticCodes.InconsistentValues, "validation.local", "validation.local",
                    "'validation.local' is false but 'validation' names no remote validators",
                    "local: true, or a 'remote' section naming the validators");
            }

            return new ValidationOptions(Local: true, Remote: null);
        }

        return new ValidationOptions(local, new RemoteValidationOptions(BindConnection("validation.remote"), Get<string>("validation.remote.shared")));
    }

    /// <summary>The connection keys of the <c>remote</c> section at <paramref name="section"/>.</summary>
    private RemoteConnection BindConnection(string section)
    {
        var (agent, redis) = BindClusterAddress(section);
        return new RemoteConnection(
            agent,
            redis,
            Text(section + ".cluster_id"),
            new TlsFiles(Text(section + ".tls.certificate"), Get<string>(section + ".tls.password_env"), Text(section + ".tls.ca")),
            Duration(section + ".wait"),
            Duration(section + ".call_timeout"));
    }

    /// <summary>
    /// The agent (host:port) and Redis connection string of the <c>remote</c> section at <paramref name="section"/>:
    /// exactly one is given, an address is host:port, and a Redis password comes from the environment, never the file.
    /// </summary>
    private (string? Agent, string? Redis) BindClusterAddress(string section)
    {
        var agentKey = section + ".agent";
        var redisKey = section + ".redis";
        var agent = Get<string>(agentKey);
        var redis = Get<string>(redisKey);
        if ((agent is null) == (redis is null))
        {
            Report(agent is null ? ConfigDiagnosticCodes.MissingRequiredKey : ConfigDiagnosticCodes.ConflictingKeys, section, section,
                agent is null ? $"'{section}' names neither 'agent' nor 'redis'" : $"'{section}' names both 'agent' and 'redis'",
                "exactly one: agent (host:port of one agent) or redis (the membership store of a pool)");
        }

        if (agent is not null && !HostPort.TryParse(agent, out _))
        {
            Report(ConfigDiagnosticCodes.MalformedValue, agentKey, agentKey,
                $"'{agentKey}' is '{agent}', which is not host:port", "host:port, e.g. 192.168.1.20:30000");
        }

        if (redis is not null)
        {
            // The raw text is checked before expansion: only a password typed into the file is refused.
            if (redis.Contains("password=", StringComparison.OrdinalIgnoreCase))
            {
                Report(ConfigDiagnosticCodes.SecretInConfig, redisKey, redisKey,
                    $"'{redisKey}' holds a password", "the connection string from an environment variable, e.g. ${HWNAS_REDIS}");
            }

            redis = _reader.ExpandEnvironment(redis, redisKey, LocationOf(redisKey)) ?? string.Empty;
        }

        return (agent, redis);
    }

    private SearchOptions BindSearch()
    {
        var population = Int("search.population");
        var warmStartText = Text("search.warm_start");
        var warmStart = warmStartText switch
        {
            "auto" => WarmStartMode.Auto,
            "none" => WarmStartMode.None,
            _ => WarmStartMode.FromFile,
        };
        var strategy = Choice<SearchStrategy>("search.strategy");
        if (strategy == SearchStrategy.WarmStart && warmStart == WarmStartMode.None)
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, "search.warm_start", "search.warm_start",
                "'search.strategy: warm-start' needs a warm-start source but 'search.warm_start' is none",
                "warm_start: auto or a file path");
        }

        return new SearchOptions(
            strategy,
            population,
            Get<long?>("search.iterations") is { } iterations ? (int)iterations : null,
            Int("search.inner_generations"),
            Int("search.validations"),
            warmStart,
            warmStart == WarmStartMode.FromFile ? warmStartText : null,
            new PredictorOptions(Choice<PredictorKind>("search.predictors.latency"), Choice<PredictorKind>("search.predictors.accuracy")),
            Get<double>("search.crossover"),
            Get<double?>("search.mutation") ?? (1.0 / population),
            Int("search.seed"),
            Get<TimeSpan?>("search.max_time"),
            Get<bool>("search.stop_when_met"),
            Choice<SearchAcquisition>("search.acquisition"),
            Int("search.batch"),
            Int("search.first_batch"),
            Get<double>("search.batch_share"),
            Get<double>("search.exploration"));
    }

    private TrainingRecipe BindTraining()
    {
        var method = Choice<TrainingMethod>("training.method");
        var phases = new ProgressiveEpochs(
            Int("training.progressive.largest"),
            Int("training.progressive.kernel"),
            Int("training.progressive.depth"),
            Int("training.progressive.expand"));
        if (method == TrainingMethod.Progressive && phases is { Largest: 0, Kernel: 0, Depth: 0, Expand: 0 })
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, "training.progressive", "training.progressive",
                "'training.method: progressive' has no epochs in any phase of 'training.progressive'",
                "at least one phase with epochs, e.g. largest: 3");
        }

        return new TrainingRecipe(
            method,
            Int("training.epochs"),
            Int("training.batch"),
            Choice<TrainingOptimizer>("training.optimizer"),
            Get<double?>("training.lr"),
            Int("training.warmup_steps"),
            Get<double?>("training.weight_decay"),
            Get<double>("training.label_smoothing"),
            Int("training.random_subnets"),
            Choice<DistillationKind>("training.distillation"),
            Get<bool>("training.flip"),
            Get<long?>("training.seed") is { } seed ? (int)seed : null,
            Int("training.threads"),
            phases);
    }

    private void Report(string code, string locateAt, string key, string message, string expected) =>
        _reader.Report(code, LocationOf(locateAt), key, message, expected);

    private SourceLocation LocationOf(string key) =>
        _reader.KeyLocations.TryGetValue(key, out var location)
            ? location
            : new ConfigLocations(_reader.DisplayFile, _reader.KeyLocations).Find(key);

    private bool Has(string key) => _reader.Values.ContainsKey(key);

    /// <summary>The value read for <paramref name="key"/>, else its default; default(T) when neither (an error was reported).</summary>
    private T? Get<T>(string key)
    {
        var definition = ConfigKeys.Find(key) ?? throw new InvalidOperationException($"'{key}' is not in the key table.");
        var value = _reader.Values.TryGetValue(key, out var read) ? read.Value : definition.Default;
        return value switch
        {
            T typed => typed,
            IEnumerable<string> words when typeof(T) == typeof(List<string>) => (T)(object)words.ToList(),
            IEnumerable<double> numbers when typeof(T) == typeof(List<double>) => (T)(object)numbers.ToList(),
            IEnumerable<long> integers when typeof(T) == typeof(List<long>) => (T)(object)integers.ToList(),
            _ => default,
        };
    }

    private string Text(string key) => Get<string>(key) ?? string.Empty;

    // A duration read from the file is a TimeSpan; a key's default is in seconds (what the schema shows).
    private TimeSpan Duration(string key) =>
        Get<TimeSpan?>(key) ?? TimeSpan.FromSeconds(Get<double?>(key) ?? 0);

    private int Int(string key) => (int)(Get<long?>(key) ?? 0);

    private List<TItem> List<TItem>(string key) => Get<List<TItem>>(key) ?? [];

    private TEnum Choice<TEnum>(string key)
        where TEnum : struct, Enum => Get<string>(key) is { } word ? ParseEnum<TEnum>(word) : default;

    private static TEnum ParseEnum<TEnum>(string word)
        where TEnum : struct, Enum => ConfigChoices.Parse<TEnum>(word);
}
