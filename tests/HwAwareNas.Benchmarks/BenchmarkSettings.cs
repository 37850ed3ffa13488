namespace HwAwareNas.Benchmarks;

/// <summary>
/// The sizes of one benchmark run. <see cref="Full"/> is sized to finish within an hour on the 2-core build
/// machine with an empty cache; <see cref="Quick"/> runs every suite end to end in a few minutes.
/// </summary>
internal sealed record BenchmarkSettings
{
    /// <summary>"full" or "quick".</summary>
    public required string Mode { get; init; }

    /// <summary>Training images re-estimating BatchNorm statistics per sub-network.</summary>
    public required int CalibrationImages { get; init; }

    /// <summary>Validation images accuracy is measured on (a fixed leading subset of the test split).</summary>
    public required int ValidationImages { get; init; }

    /// <summary>Search repetitions (seeds 1..N) per strategy.</summary>
    public required int Seeds { get; init; }

    /// <summary>Population of every strategy (and of the inner NSGA-II).</summary>
    public required int Population { get; init; }

    /// <summary>Live validations per search run.</summary>
    public required int Validations { get; init; }

    /// <summary>Live validations of the long NSGA-II run that adds to the reference front.</summary>
    public required int ReferenceValidations { get; init; }

    /// <summary>NSGA-II generations on the predictors per iteration (full, concurrent).</summary>
    public required int InnerGenerations { get; init; }

    /// <summary>Validations between two points of the hypervolume curves.</summary>
    public required int CurveStep { get; init; }

    /// <summary>Training-set sizes of the predictor learning curves.</summary>
    public required IReadOnlyList<int> TrainingSizes { get; init; }

    /// <summary>Largest training set of the accuracy curves (each sample costs an accuracy evaluation).</summary>
    public required int AccuracyTrainingCap { get; init; }

    /// <summary>Held-out genomes the predictors are scored on (half uniform, half depth-balanced).</summary>
    public required int TestGenomes { get; init; }

    /// <summary>Held-out genomes whose accuracy is also evaluated with the sample's own protocol (2000 / 10000 images).</summary>
    public required int FidelityGenomes { get; init; }

    /// <summary>Genomes measured twice for the latency repeatability row.</summary>
    public required int RepeatGenomes { get; init; }

    /// <summary>Training samples of each predictor's full search in the selection-loss suite.</summary>
    public required int SelectionSamples { get; init; }

    /// <summary>Population of the NSGA-II run on each predictor in the selection-loss suite (bounds the predicted front).</summary>
    public required int SelectionPopulation { get; init; }

    /// <summary>Seeds of the selection-loss suite per predictor.</summary>
    public required int SelectionSeeds { get; init; }

    /// <summary>Sub-networks timed stage by stage in the measurement-cost suite.</summary>
    public required int CostGenomes { get; init; }

    /// <summary>Validation budgets of the <c>optimize</c> runs in the measurement-cost suite.</summary>
    public required IReadOnlyList<int> OptimizeBudgets { get; init; }

    /// <summary>Calibration and validation images of the <c>optimize</c> runs (smaller than the table's, so the largest budget fits).</summary>
    public required (int Calibration, int Validation) OptimizeImages { get; init; }

    /// <summary>Training images of the short <c>train</c> run whose peak memory is reported.</summary>
    public required int TrainImages { get; init; }

    /// <summary>
    /// Random sub-networks of the full-size OFA MobileNetV3 (w1.0, 3×224×224) that <c>profile</c> times in the
    /// measurement-cost suite, with the warm-up and timed runs of each.
    /// </summary>
    public required (int Genomes, int Warmup, int Runs) FullSize { get; init; }

    /// <summary>search.validations of each optimize run of the several-devices suite.</summary>
    public required int DeviceSetValidations { get; init; }

    /// <summary>Batches of the device-agent suite: size, repetitions, models per remote call, untimed warm-up models.</summary>
    public required AgentBenchmarkSettings Agents { get; init; }

    /// <summary>Sizes of the transfer suite: the source device's training set, the target's pool and held-out set, n, seeds.</summary>
    public required TransferBenchmarkSettings Transfer { get; init; }
    /// <summary>Batches of the validator suite: size, repetitions, untimed warm-up genomes.</summary>
    /// <summary>The ofa suite: seeds, validation budgets, the reference NSGA-II and the warm start's source.</summary>
    public required OfaBenchmarkSettings Ofa { get; init; }

    public required ValidatorBenchmarkSettings Validators { get; init; }

    /// <summary>The hour-long suite.</summary>
    public static BenchmarkSettings Full { get; } = new()
    {
        Mode = "full",
        CalibrationImages = 250,
        ValidationImages = 1000,
        Seeds = 5,
        Population = 10,
        Validations = 80,
        ReferenceValidations = 150,
        InnerGenerations = 250,
        CurveStep = 10,
        TrainingSizes = [25, 50, 100, 200, 400, 700, 1000],
        AccuracyTrainingCap = 300,
        TestGenomes = 200,
        RepeatGenomes = 100,
        FidelityGenomes = 24,
        SelectionSamples = 100,
        SelectionPopulation = 20,
        SelectionSeeds = 2,
        CostGenomes = 30,
        OptimizeBudgets = [50, 100, 200, 400],
        OptimizeImages = (100, 250),
        TrainImages = 1024,
        FullSize = (50, 10, 50),
        Agents = new(BatchSize: 32, Repetitions: 5, ModelsPerCall: 4, WarmupModels: 16),
        DeviceSetValidations = 60,
        Transfer = new(SourceGenomes: 200, PoolGenomes: 100, HeldOutGenomes: 100, Sizes: [5, 10, 20, 40], Seeds: 10, LoopHoldOut: 50, LoopMaxSamples: 300),
        Validators = new(BatchSize: 32, Repetitions: 5, WarmupGenomes: 4),
        Ofa = new(Seeds: 10, Budgets: [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], ReferencePopulation: 100, ReferenceGenerations: 300, WarmSourceValidations: 500, BaselineBudget: 10000),
    };

    /// <summary>Every suite end to end in a few minutes.</summary>
    public static BenchmarkSettings Quick { get; } = new()
    {
        Mode = "quick",
        CalibrationImages = 250,
        ValidationImages = 1000,
        Seeds = 2,
        Population = 10,
        Validations = 20,
        ReferenceValidations = 40,
        InnerGenerations = 30,
        CurveStep = 5,
        TrainingSizes = [25, 50],
        AccuracyTrainingCap = 50,
        TestGenomes = 40,
        RepeatGenomes = 20,
        FidelityGenomes = 4,
        SelectionSamples = 20,
        SelectionPopulation = 10,
        SelectionSeeds = 1,
        CostGenomes = 5,
        OptimizeBudgets = [10, 20],
        OptimizeImages = (100, 250),
        TrainImages = 256,
        FullSize = (5, 3, 10),
        Agents = new(BatchSize: 16, Repetitions: 2, ModelsPerCall: 4, WarmupModels: 8),
        DeviceSetValidations = 12,
        Transfer = new(SourceGenomes: 60, PoolGenomes: 40, HeldOutGenomes: 40, Sizes: [5, 10, 20], Seeds: 5, LoopHoldOut: 20, LoopMaxSamples: 60),
        Validators = new(BatchSize: 8, Repetitions: 2, WarmupGenomes: 4),
        Ofa = new(Seeds: 2, Budgets: [50, 100, 200], ReferencePopulation: 50, ReferenceGenerations: 60, WarmSourceValidations: 200, BaselineBudget: 1000),
    };
}

/// <summary>Sizes of the device-agent suite.</summary>
/// <param name="BatchSize">Sub-networks per timed batch.</param>
/// <param name="Repetitions">Timed batches per configuration (fresh sub-networks each time).</param>
/// <param name="ModelsPerCall">device.remote.models_per_call of the remote profilers.</param>
/// <param name="WarmupModels">Sub-networks every profiler measures untimed first.</param>
internal sealed record AgentBenchmarkSettings(int BatchSize, int Repetitions, int ModelsPerCall, int WarmupModels);

/// <summary>Sizes of the transfer suite.</summary>
/// <param name="SourceGenomes">Sub-networks measured on the source device to fit its predictor.</param>
/// <param name="PoolGenomes">Sub-networks measured on the target device that the n samples are drawn from.</param>
/// <param name="HeldOutGenomes">Sub-networks measured on both devices that every predictor is scored on.</param>
/// <param name="Sizes">Target-device sample counts n.</param>
/// <param name="Seeds">Draws of the n samples per size.</param>
/// <param name="LoopHoldOut">Held-out set of the ESM loops on the target device.</param>
/// <param name="LoopMaxSamples">Training-sample budget of the ESM loops.</param>
internal sealed record TransferBenchmarkSettings(
    int SourceGenomes, int PoolGenomes, int HeldOutGenomes, IReadOnlyList<int> Sizes, int Seeds, int LoopHoldOut, int LoopMaxSamples);
/// <summary>Sizes of the validator suite.</summary>
/// <param name="BatchSize">Sub-networks per timed batch.</param>
/// <param name="Repetitions">Timed batches per configuration (fresh sub-networks each time).</param>
/// <param name="WarmupGenomes">Sub-networks every configuration validates untimed first.</param>
internal sealed record ValidatorBenchmarkSettings(int BatchSize, int Repetitions, int WarmupGenomes);

/// <summary>Sizes of the ofa suite.</summary>
/// <param name="Seeds">Runs per strategy.</param>
/// <param name="Budgets">Validation budgets the curves are read at, ascending; the last is each run's budget.</param>
/// <param name="ReferencePopulation">Population of the long NSGA-II run on the oracle that anchors the reference front.</param>
/// <param name="ReferenceGenerations">Its generations.</param>
/// <param name="WarmSourceValidations">Validations of the search whose final population warm-starts <c>warm-start</c> (not counted).</param>
/// <param name="BaselineBudget">
/// Validations of the baseline's runs (<c>evolutionary</c>): beyond the largest budget, so that the ratios can be given
/// where the baseline needs more than the others get.
/// </param>
internal sealed record OfaBenchmarkSettings(
    int Seeds, IReadOnlyList<int> Budgets, int ReferencePopulation, int ReferenceGenerations, int WarmSourceValidations, int BaselineBudget);
