namespace HwAwareNas.Core.Configuration;

/// <summary>
/// The table of every hwnas.yaml key. The loader validates and binds from it, the JSON Schema is generated
/// from it and the documentation test checks <c>hwnas.yaml.example</c> against it, so a key is defined once here.
/// </summary>
public static class ConfigKeys
{
    /// <summary>The file name a project keeps its configuration in.</summary>
    public const string DefaultFileName = "hwnas.yaml";

    /// <summary>The top-level keys, in documentation order.</summary>
    public static IReadOnlyList<ConfigKey> Root { get; } =
    [
        Section("supernet", "The trained elastic super-network to search.", required: true,
        [
            Choice("family", "Super-network family.", null, ["mobilenetv3", "resnet", "transformer"], typeof(SupernetFamily), required: true),
            Path("checkpoint", "Super-network weights (written by `dotnet hwnas train`, read by every later stage).", required: true),
            new ConfigKey
            {
                Name = "input", Kind = ConfigValueKind.WholeNumberList, Required = true, Minimum = 1, MinItems = 3, MaxItems = 3,
                Description = "Input shape of one image as [channels, height, width].", Unit = "pixels",
            },
            Int("classes", "Number of output classes.", null, min: 2, required: true),
            new ConfigKey
            {
                Name = "settings", Kind = ConfigValueKind.FreeMap,
                Description = "Family settings such as preset, width, widths or strides; each family documents its own.",
                DefaultText = "the family's defaults",
            },
        ]),
        Section("dataset", "Training and validation data.", required: true,
        [
            Choice("format", "How the data is stored.", "idx", ["idx", "folder", "npy"], typeof(DatasetFormat)),
            Path("train", "Training images (file, or folder for format folder).", required: true),
            Path("train_labels", "Training labels (required for idx and npy)."),
            Path("val", "Validation images (file, or folder for format folder).", required: true),
            Path("val_labels", "Validation labels (required for idx and npy)."),
            Int("calibration_images", "Training images used to re-calibrate BatchNorm statistics per sub-network (a family without BatchNorm, such as transformer, reads none).", 2000L, min: 1, unit: "images"),
            Int("validation_images", "Validation images used to measure a sub-network's accuracy.", 10000L, min: 1, unit: "images"),
            new ConfigKey
            {
                Name = "mean", Kind = ConfigValueKind.NumberList, MinItems = 1, Default = new List<double> { 0.5 },
                Description = "Per-channel mean subtracted from pixels scaled to [0, 1] (one value applies to every channel).",
            },
            new ConfigKey
            {
                Name = "std", Kind = ConfigValueKind.NumberList, MinItems = 1, Minimum = 0, ExclusiveMinimum = true,
                Default = new List<double> { 0.5 },
                Description = "Per-channel standard deviation pixels are divided by (one value applies to every channel).",
            },
        ]),
        DeviceSection(),
        new ConfigKey
        {
            Name = "devices", Kind = ConfigValueKind.NameList, MinItems = 1,
            Description = "Several devices in one run, instead of device: the names of profiles devices/<name>.yaml beside this file. Each sub-network's accuracy is validated once for all of them; each device gets its own model and reports in <output.dir>/<name>/, and a summary across devices is written to <output.dir>/summary.md.",
        },
        new ConfigKey
        {
            Name = "objectives", Kind = ConfigValueKind.ChoiceList, MinItems = 1, EnumType = typeof(ObjectiveKind),
            AllowedValues = ["accuracy", "latency", "params", "macs", "size"],
            Default = new List<string> { "accuracy", "latency" },
            Description = "Quantities the search trades off: accuracy (maximised) and latency (minimised) always, plus any of params, macs and size (minimised, computed exactly from the sub-network).",
        },
        Section("constraints", "Limits the selected sub-network must meet; an absent key sets no limit.", required: false,
        [
            new ConfigKey
            {
                Name = "latency_ms", Kind = ConfigValueKind.Ceiling, Minimum = 0, ExclusiveMinimum = true, Unit = "ms",
                Description = "Largest allowed measured latency per batch, as a number or a text like \"<= 2 ms\".",
            },
            Number(
                "latency_fraction",
                "Largest allowed latency as a fraction of the largest sub-network's, measured on the same device at the start of the run: a budget that means the same on devices of different speeds. With latency_ms as well, the tighter one holds.",
                null, min: 0, exclusiveMin: true, max: 1),
            Number(
                "latency_margin",
                "Headroom kept below the latency budget (latency_ms, latency_fraction), as a fraction: sub-networks must measure at most budget × (1 − margin), so that later re-measurements on a noisy machine still meet it.",
                0.0, min: 0, max: 0.5, exclusiveMax: true),
            new ConfigKey
            {
                Name = "accuracy", Kind = ConfigValueKind.Threshold, Minimum = 0, Maximum = 1,
                Description = "Smallest allowed validation accuracy, as a fraction or a text like \">= 0.85\".",
            },
            Int("params", "Largest allowed number of parameters.", null, min: 1, max: long.MaxValue, unit: "parameters"),
            Int("macs", "Largest allowed multiply-accumulates per image.", null, min: 1, max: long.MaxValue, unit: "MACs"),
            Number("size_mb", "Largest allowed model file size.", null, min: 0, exclusiveMin: true, unit: "MB"),
        ]),
        Section("search", "How sub-networks are searched.", required: false,
        [
            Choice("strategy", "Search strategy.", "concurrent", ["random", "evolutionary", "full", "warm-start", "concurrent"], typeof(SearchStrategy)),
            Int("population", "Sub-networks per generation (and per measured batch).", 50L, min: 2, unit: "sub-networks"),
            Int("iterations", "Most outer iterations: measured generations (evolutionary, warm-start) or measure/refit/search rounds (concurrent); random and full are bounded by validations only.", null, min: 1, defaultText: "unlimited (validations bound the search)"),
            Int("inner_generations", "NSGA-II generations run on the predictors per iteration (full, concurrent).", 100L, min: 1),
            Choice("acquisition", "How concurrent chooses what to measure each round: ehvi (the batch with the largest expected hypervolume improvement over the measured front, from the predictors' uncertainty) or population (DyNAS-T: the final population of the search on the predictors).", "ehvi", ["ehvi", "population"], typeof(SearchAcquisition)),
            Int("first_batch", "Sub-networks concurrent measures in its first round, the largest and smallest among them (acquisition ehvi).", 10L, min: 2, unit: "sub-networks"),
            Int("batch", "Fewest sub-networks concurrent measures per round after the first (acquisition ehvi).", 5L, min: 1, unit: "sub-networks"),
            Number("exploration", "Weight of the predictors' uncertainty when concurrent chooses by expected hypervolume improvement (acquisition ehvi): 1 takes ridge's bootstrap spread as it is, 0 the predicted values alone (the spread then only orders sub-networks that promise nothing).", 0.3, min: 0, max: 4),
            Number("batch_share", "Share of the sub-networks measured so far that a round after the first measures when that is more than batch (acquisition ehvi): rounds grow with the study, so long searches refit the predictors less often.", 0.05, min: 0, max: 1),
            Int("validations", "Most sub-networks measured on the device in total.", 200L, min: 1, unit: "sub-networks"),
            new ConfigKey
            {
                Name = "warm_start", Kind = ConfigValueKind.ChoiceOrPath, Default = "auto", AllowedValues = ["auto", "none"],
                IsInputFile = true,
                Description = "Initial population: auto (best population of an earlier search in the results store), none, or a file path.",
            },
            Section("predictors", "Predictor family per objective.", required: false,
            [
                Choice("latency", "Latency predictor.", "ridge", ["auto", "ridge", "mlp", "gbdt", "ridge-gbdt", "lut"], typeof(PredictorKind)),
                Choice("accuracy", "Accuracy predictor.", "ridge-gbdt", ["auto", "ridge", "mlp", "gbdt", "ridge-gbdt", "lut"], typeof(PredictorKind)),
            ]),
            Number("crossover", "Probability that two parents are recombined.", 0.9, min: 0, max: 1),
            Number("mutation", "Probability that one gene mutates.", null, min: 0, max: 1, defaultText: "1/population"),
            Int("seed", "Random seed; the same seed and measurements give the same search.", 1L, min: 0, max: int.MaxValue),
            new ConfigKey
            {
                Name = "max_time", Kind = ConfigValueKind.Duration, Minimum = 0, ExclusiveMinimum = true, Unit = "seconds",
                Description = "Wall-time budget for the search, as seconds or a text like 90s, 15m, 1h30m or hh:mm:ss.",
                DefaultText = "unlimited",
            },
            new ConfigKey
            {
                Name = "stop_when_met", Kind = ConfigValueKind.Boolean, Default = false,
                Description = "Stop the search once a measured sub-network meets every constraint, at the end of the measured batch (generation or iteration) that found it.",
            },
        ]),
        Section("validation", "Where sub-networks' accuracy (BatchNorm re-calibration + top-1) is validated: this machine, validator silos ('hwnas agent --role validator'), or both.", required: false,
        [
            new ConfigKey
            {
                Name = "local", Kind = ConfigValueKind.Boolean, Default = true,
                Description = "Whether this machine validates too, beside the validators (false: only validators; with no remote section this machine always validates).",
            },
            Section("remote", "Validator silos that share each batch's validations with this machine: one validator by address, or all validators in a cluster. The checkpoint and dataset files go to them by SHA-256, once.", required: false,
            [
                .. ClusterConnectionKeys(
                    "validator",
                    "How long to wait for a validator when none is reachable and this machine does not validate (local: false), before stopping (exit code 3) with everything validated so far kept.",
                    "Longest one remote validation may take (the first on a validator also loads the super-network and data) before the validator is given up and its sub-network goes to another."),
                new ConfigKey
                {
                    Name = "shared", Kind = ConfigValueKind.Path,
                    Description = "A folder this machine and the validators see at the same path (e.g. NFS): the inputs are placed there by SHA-256 and read from there instead of uploaded; a validator whose copy hashes differently refuses.",
                    DefaultText = "none (inputs are uploaded)",
                },
            ]),
        ]),
        Section("training", "How `dotnet hwnas train` trains the super-network; its flags override these keys.", required: false,
        [
            Choice("method", "sandwich: largest, smallest and random sub-networks of the whole space from the first step; progressive: Once-for-All's progressive shrinking, the largest sub-network first, then kernel sizes, depths and expand ratios/widths released one phase at a time.", "sandwich", ["sandwich", "progressive"], typeof(TrainingMethod)),
            Int("epochs", "Epochs of sandwich training (progressive counts the epochs of its phases instead).", 10L, min: 1, unit: "epochs"),
            Int("batch", "Images per training step.", 128L, min: 2, unit: "images"),
            Choice("optimizer", "Optimiser, both with a cosine learning-rate schedule over the run: sgd (Nesterov momentum 0.9) or adamw.", "sgd", ["sgd", "adamw"], typeof(TrainingOptimizer)),
            Number("lr", "Peak learning rate, reached after the warm-up and decayed to 0 by a cosine.", null, min: 0, exclusiveMin: true, defaultText: "0.05 for sgd, 0.002 for adamw"),
            Int("warmup_steps", "Steps of linear learning-rate warm-up.", 0L, min: 0, unit: "steps"),
            Number("weight_decay", "Weight decay (L2 for sgd, decoupled for adamw).", null, min: 0, defaultText: "4e-05 for sgd, 0.01 for adamw"),
            Number("label_smoothing", "Label smoothing of the largest sub-network's cross-entropy.", 0.1, min: 0, max: 1, exclusiveMax: true),
            Int("random_subnets", "Random sub-networks per step besides the largest and the smallest (progressive: drawn from the dimensions its phase has released).", 2L, min: 0, max: 64, unit: "sub-networks"),
            Choice("distillation", "Loss the smaller sub-networks learn the largest one's outputs with: soft-ce (cross-entropy against its softmax) or kl.", "soft-ce", ["soft-ce", "kl"], typeof(DistillationKind)),
            new ConfigKey
            {
                Name = "flip", Kind = ConfigValueKind.Boolean, Default = true,
                Description = "Mirror training images horizontally at random (suits natural images and clothing, not digits or text).",
            },
            Int("seed", "Seed of weight initialisation, data order, augmentation and sub-network sampling; the same seed trains the same weights.", null, min: 0, max: int.MaxValue, defaultText: "search.seed"),
            Int("threads", "Threads torch trains with (0 lets torch choose).", 0L, min: 0, max: 1024, unit: "threads"),
            Section("progressive", "Epochs of each phase of progressive shrinking (method: progressive); a phase with 0 epochs, or whose dimension the family lacks, is skipped.", required: false,
            [
                Int("largest", "Epochs training the largest sub-network alone, on the labels.", 3L, min: 0, max: 100000, unit: "epochs"),
                Int("kernel", "Epochs with elastic kernel sizes (depths and widths at their largest).", 2L, min: 0, max: 100000, unit: "epochs"),
                Int("depth", "Epochs with elastic kernel sizes and depths.", 3L, min: 0, max: 100000, unit: "epochs"),
                Int("expand", "Epochs with every dimension elastic: kernel sizes, depths, expand ratios and widths.", 3L, min: 0, max: 100000, unit: "epochs"),
            ]),
        ]),
        Section("output", "What is written and where.", required: false,
        [
            new ConfigKey
            {
                Name = "dir", Kind = ConfigValueKind.Path, Default = "hwnas",
                Description = "Output folder for model.onnx, the reports and results.json.",
            },
            Choice("select", "Which sub-network of the front meeting the constraints is exported.", "max-accuracy", ["max-accuracy", "min-latency", "knee"], typeof(SelectionRule)),
            Int(
                "confirm",
                "Best candidates measured again, together, before one is selected: each keeps the worse of its two latencies, and one that then misses a constraint gives way to the next (0: select on the search's measurements alone).",
                3L, min: 0, max: 100, unit: "sub-networks"),
            new ConfigKey
            {
                Name = "export_front", Kind = ConfigValueKind.Boolean, Default = false,
                Description = "Also export every sub-network of the final front as front/<n>.onnx.",
            },
        ]),
    ];

    /// <summary>Every key with its dotted path (e.g. <c>device.measure.runs</c>), parents before children.</summary>
    public static IEnumerable<(string Path, ConfigKey Key)> All() => Flatten(Root, string.Empty);

    /// <summary>Finds a key by dotted path; null when there is none.</summary>
    public static ConfigKey? Find(string dottedPath)
    {
        IReadOnlyList<ConfigKey> level = Root;
        ConfigKey? found = null;
        foreach (var part in dottedPath.Split('.'))
        {
            found = level.FirstOrDefault(k => k.Name == part);
            if (found is null)
            {
                return null;
            }

            level = found.Children;
        }

        return found;
    }

    private static ConfigKey DeviceSection() =>
        Section("device", "The device latency is measured on; or the name of a profile file devices/<name>.yaml beside this file.",
            required: false,
            [
                String("name", "Device name used in reports and the results-store fingerprint.", "local"),
                Choice("provider", "ONNX Runtime execution provider.", "cpu", ["cpu", "cuda", "tensorrt", "openvino", "coreml", "directml"], typeof(ExecutionProvider)),
                Int("threads", "Shorthand for intra_op_threads (both may be given only if equal).", null, min: 0, max: 1024, unit: "threads", defaultText: "intra_op_threads"),
                Int("intra_op_threads", "Threads used inside one operator (0 lets ONNX Runtime choose).", 1L, min: 0, max: 1024, unit: "threads"),
                Int("inter_op_threads", "Threads used across independent operators (0 lets ONNX Runtime choose).", 1L, min: 0, max: 1024, unit: "threads"),
                Int("batch", "Batch size latency is measured at.", 1L, min: 1, max: 65536, unit: "images"),
                Choice("graph_optimization", "ONNX Runtime graph optimisation level.", "all", ["disabled", "basic", "extended", "all"], typeof(GraphOptimization)),
                new ConfigKey
                {
                    Name = "precision", Kind = ConfigValueKind.Choice, Default = "fp32", AllowedValues = ["fp32"],
                    UnsupportedValues = ["fp16", "int8"], EnumType = typeof(Precision),
                    Description = "Numeric precision of the measured model (fp16 and int8 are not supported yet).",
                },
                Section("measure", "How one latency measurement is taken.", required: false,
                [
                    Int("warmup", "Untimed runs before timing.", 10L, min: 0, unit: "runs"),
                    Int("runs", "Timed runs per measurement (when adaptive is off).", 150L, min: 1, unit: "runs"),
                    Int("rounds", "Rounds the timed runs are split into, visiting every model of a measured batch in turn, so that drift of the device shifts them alike (1: one model after the other).", 5L, min: 1, max: 1000, unit: "rounds"),
                    Number("trim", "Fraction of the fastest and of the slowest runs dropped before averaging.", 0.2, min: 0, max: 0.5, exclusiveMax: true),
                    Choice("statistic", "Which statistic of the timed runs is the latency searched, predicted and constrained: trimmed-mean (ESM), median, p10 (10th percentile: stable on a busy, shared machine) or min.", "trimmed-mean", ["trimmed-mean", "median", "p10", "min"], typeof(LatencyStatistic)),
                    Int("reference_models", "Reference sub-networks re-measured through the run to detect drift.", 3L, min: 0, unit: "models"),
                    Int("reference_every", "Measurements between two re-measurements of the reference models.", 25L, min: 1, unit: "measurements"),
                    Number("max_variance", "Largest relative drift of a reference model before data is re-measured.", 0.03, min: 0, exclusiveMin: true, max: 1),
                    Section("adaptive", "Stop timing once the mean is known well enough (instead of a fixed number of runs).", required: false,
                    [
                        new ConfigKey { Name = "enabled", Kind = ConfigValueKind.Boolean, Default = false, Description = "Use adaptive stopping." },
                        Number("max_relative_error", "Stop when the 99% confidence interval half-width is within this fraction of the mean.", 0.02, min: 0, exclusiveMin: true, max: 1),
                        Int("min_runs", "Fewest timed runs.", 15L, min: 2, unit: "runs"),
                        Int("max_runs", "Most timed runs.", 150L, min: 2, unit: "runs"),
                    ]),
                ]),
                Section("remote", "Measure on device agents ('hwnas agent' on the target device) instead of this machine: one agent by address, or a pool of agents of one kind in a cluster.", required: false,
                [
                    new ConfigKey { Name = "kind", Kind = ConfigValueKind.Text, Required = true, Description = "Device kind the measuring agents announce (their --kind), e.g. pi4; only agents of this kind measure." },
                    .. ClusterConnectionKeys(
                        "agent",
                        "How long to wait for an agent of the kind when none is reachable, before stopping (exit code 3) with everything measured so far kept.",
                        "Longest one remote measurement call may take before the agent is given up and its models go to another agent."),
                    Int("models_per_call", "Models one remote call measures together (interleaved); smaller spreads a batch finer over the agents and loses less work when an agent fails. With reference models, a call takes each agent's share of the batch (up to reference_every), since every call ends with the drift check.", 4L, min: 1, max: 64, unit: "models"),
                ]),
            ]) with { AcceptsProfileName = true };

    // How a caller reaches the members of a cluster (device agents, validators): the keys device.remote and
    // validation.remote share, worded for the member.
    private static ConfigKey[] ClusterConnectionKeys(string member, string waitDescription, string callTimeoutDescription)
    {
        var article = member[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
        return
        [
            String("agent", $"host:port of one {member}'s gateway ({article} {member} started without a membership store is its own cluster). Give this or redis.", null),
            String("redis", $"Connection string of the Redis membership store the {member}s joined, e.g. ${{HWNAS_REDIS}}; a password must come from an environment variable, never this file. Give this or agent.", null),
            String("cluster_id", $"Cluster id the {member}s joined (their --cluster-id).", "hwnas"),
            Section("tls", $"Mutual TLS with the {member}s: this caller's certificate and the authority the {member}s' certificates must be issued by ('hwnas agent certs' makes both).", required: true,
            [
                Path("certificate", "PKCS#12 (.pfx) file with this caller's certificate and private key.", required: true),
                String("password_env", "Environment variable holding the certificate file's password (none: the file has no password).", null),
                Path("ca", $"PEM file of the certificate authority that issued the {member}s' certificates.", required: true),
            ]),
            new ConfigKey
            {
                Name = "wait", Kind = ConfigValueKind.Duration, Default = 120.0, DefaultText = "2m", Minimum = 0, Unit = "seconds",
                Description = waitDescription,
            },
            new ConfigKey
            {
                Name = "call_timeout", Kind = ConfigValueKind.Duration, Default = 600.0, DefaultText = "10m", Minimum = 0, ExclusiveMinimum = true, Unit = "seconds",
                Description = callTimeoutDescription,
            },
        ];
    }

    private static IEnumerable<(string Path, ConfigKey Key)> Flatten(IReadOnlyList<ConfigKey> keys, string prefix)
    {
        foreach (var key in keys)
        {
            var path = prefix.Length == 0 ? key.Name : prefix + "." + key.Name;
            yield return (path, key);
            foreach (var child in Flatten(key.Children, path))
            {
                yield return child;
            }
        }
    }

    private static ConfigKey Section(string name, string description, bool required, IReadOnlyList<ConfigKey> children) =>
        new() { Name = name, Kind = ConfigValueKind.Section, Description = description, Required = required, Children = children };

    private static ConfigKey String(string name, string description, string? defaultValue) =>
        new() { Name = name, Kind = ConfigValueKind.Text, Description = description, Default = defaultValue };

    private static ConfigKey Path(string name, string description, bool required = false) =>
        new() { Name = name, Kind = ConfigValueKind.Path, Description = description, Required = required, IsInputFile = true };

    private static ConfigKey Choice(
        string name, string description, string? defaultValue, IReadOnlyList<string> allowed, Type enumType, bool required = false) =>
        new()
        {
            Name = name, Kind = ConfigValueKind.Choice, Description = description, Default = defaultValue,
            AllowedValues = allowed, EnumType = enumType, Required = required,
        };

    private static ConfigKey Int(
        string name, string description, long? defaultValue, long min = 0, long max = int.MaxValue, string? unit = null,
        bool required = false, string? defaultText = null) =>
        new()
        {
            Name = name, Kind = ConfigValueKind.WholeNumber, Description = description, Default = defaultValue,
            Minimum = min, Maximum = max, Unit = unit, Required = required, DefaultText = defaultText,
        };

    private static ConfigKey Number(
        string name, string description, double? defaultValue, double min, bool exclusiveMin = false, double? max = null,
        bool exclusiveMax = false, string? unit = null, string? defaultText = null) =>
        new()
        {
            Name = name, Kind = ConfigValueKind.Number, Description = description, Default = defaultValue, Minimum = min,
            ExclusiveMinimum = exclusiveMin, Maximum = max, ExclusiveMaximum = exclusiveMax, Unit = unit, DefaultText = defaultText,
        };
}
