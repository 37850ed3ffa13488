using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Core.Configuration;

/// <summary>A loaded and validated hwnas.yaml. Paths are absolute; absent keys hold their documented defaults.</summary>
/// <param name="SourcePath">Absolute path of the file the configuration was read from.</param>
/// <param name="Supernet">The super-network to search.</param>
/// <param name="Dataset">Training and validation data.</param>
/// <param name="Device">The device latency is measured on.</param>
/// <param name="Objectives">Quantities the search trades off, in the order given.</param>
/// <param name="Constraints">Limits the selected sub-network must meet.</param>
/// <param name="Search">How sub-networks are searched.</param>
/// <param name="Training">How <c>hwnas train</c> trains the super-network.</param>
/// <param name="Output">What is written and where.</param>
/// <param name="Locations">Where each key was written, to locate later errors about its value.</param>
/// <param name="Validation">Where accuracy is validated (null: on this machine alone, as without a <c>validation:</c> section).</param>
public sealed record HwNasConfig(
    string SourcePath,
    SupernetOptions Supernet,
    DatasetOptions Dataset,
    DeviceOptions Device,
    IReadOnlyList<ObjectiveKind> Objectives,
    ConstraintsOptions Constraints,
    SearchOptions Search,
    TrainingRecipe Training,
    OutputOptions Output,
    ConfigLocations Locations,
    ValidationOptions? Validation = null)
{
    /// <summary>
    /// The device profiles <c>devices:</c> lists for one run over several devices (each loaded with
    /// <see cref="ConfigLoadOptions.DeviceProfile"/>); empty when the file configures one device.
    /// </summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
}

/// <summary>Shape of one input image.</summary>
/// <param name="Channels">Colour channels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
public sealed record InputShape(int Channels, int Height, int Width);

/// <summary>The super-network section (<c>supernet:</c>).</summary>
/// <param name="Family">Super-network family.</param>
/// <param name="Checkpoint">Absolute path of the weights file (may not exist before training).</param>
/// <param name="Input">Input shape of one image.</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Settings">Family settings, read by the family with located errors.</param>
public sealed record SupernetOptions(
    SupernetFamily Family, string Checkpoint, InputShape Input, int Classes, FamilySettings Settings)
{
    /// <summary>The input shape as families take it.</summary>
    public FeatureShape FeatureInput => new(Input.Channels, Input.Height, Input.Width);

    /// <summary>
    /// Builds the family this section describes; training, search, export and the predictors all build it here, so
    /// that the settings reach the family in one form and the store's settings hash agrees between them.
    /// </summary>
    /// <exception cref="HwNasException">The family rejects its settings (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public IElasticFamily CreateFamily() =>
        FamilyRegistry.Create(ConfigChoices.Format(Family), new FamilyOptions(FeatureInput, Classes, Settings.ToText()));
}

/// <summary>The dataset section (<c>dataset:</c>).</summary>
/// <param name="Format">How the data is stored.</param>
/// <param name="Train">Absolute path of the training images.</param>
/// <param name="TrainLabels">Absolute path of the training labels, or null for the folder format.</param>
/// <param name="Val">Absolute path of the validation images.</param>
/// <param name="ValLabels">Absolute path of the validation labels, or null for the folder format.</param>
/// <param name="CalibrationImages">Training images used to re-calibrate BatchNorm statistics.</param>
/// <param name="ValidationImages">Validation images used to measure accuracy.</param>
/// <param name="Mean">Per-channel mean (one entry per channel after broadcasting).</param>
/// <param name="Std">Per-channel standard deviation (one entry per channel after broadcasting).</param>
public sealed record DatasetOptions(
    DatasetFormat Format,
    string Train,
    string? TrainLabels,
    string Val,
    string? ValLabels,
    int CalibrationImages,
    int ValidationImages,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std);

/// <summary>The device profile (<c>device:</c>, inline or from <c>devices/&lt;name&gt;.yaml</c>).</summary>
/// <param name="Name">Device name for reports and the fingerprint.</param>
/// <param name="ProfilePath">Absolute path of the profile file, or null when the profile is inline.</param>
/// <param name="Provider">ONNX Runtime execution provider.</param>
/// <param name="IntraOpThreads">Threads inside one operator (0: the runtime chooses).</param>
/// <param name="InterOpThreads">Threads across operators (0: the runtime chooses).</param>
/// <param name="Batch">Batch size latency is measured at.</param>
/// <param name="GraphOptimization">Graph optimisation level.</param>
/// <param name="Precision">Numeric precision.</param>
/// <param name="Measure">How one measurement is taken.</param>
/// <param name="Remote">The device agents that measure, or null when this machine measures.</param>
public sealed record DeviceOptions(
    string Name,
    string? ProfilePath,
    ExecutionProvider Provider,
    int IntraOpThreads,
    int InterOpThreads,
    int Batch,
    GraphOptimization GraphOptimization,
    Precision Precision,
    MeasureOptions Measure,
    RemoteDeviceOptions? Remote = null);

/// <summary>
/// How this caller reaches a cluster of device agents or validators: the connection keys every <c>remote:</c> section
/// has (<c>device.remote</c>, <c>validation.remote</c>).
/// </summary>
/// <param name="Agent">host:port of one member's gateway, or null when <paramref name="Redis"/> names the cluster.</param>
/// <param name="Redis">Connection string of the members' Redis membership store (secrets expanded from the environment), or null.</param>
/// <param name="ClusterId">The members' cluster id.</param>
/// <param name="Tls">This caller's certificate and the authority the members' certificates must chain to.</param>
/// <param name="Wait">How long to wait for a member when none is reachable.</param>
/// <param name="CallTimeout">Longest one remote call (a measurement, a validation) may take.</param>
public sealed record RemoteConnection(string? Agent, string? Redis, string ClusterId, TlsFiles Tls, TimeSpan Wait, TimeSpan CallTimeout);

/// <summary>Where a device is measured when it is not this machine (<c>device.remote:</c>): agents of one kind.</summary>
/// <param name="Kind">Device kind the measuring agents announce.</param>
/// <param name="Connection">How the agents are reached.</param>
/// <param name="ModelsPerCall">Models one remote call measures together.</param>
public sealed record RemoteDeviceOptions(string Kind, RemoteConnection Connection, int ModelsPerCall);

/// <summary>Where sub-networks' accuracy is validated (<c>validation:</c>).</summary>
/// <param name="Local">Whether this machine validates too (besides the validators).</param>
/// <param name="Remote">The validator silos, or null when this machine validates alone.</param>
public sealed record ValidationOptions(bool Local, RemoteValidationOptions? Remote);

/// <summary>Validator silos (<c>validation.remote:</c>, <c>hwnas agent --role validator</c>) that validate accuracy for this run.</summary>
/// <param name="Connection">How the validators are reached (its wait applies when this machine does not validate).</param>
/// <param name="Shared">
/// A folder this machine and the validators see at the same path, where the inputs are placed by their SHA-256 and
/// read by the validators instead of uploaded; null: inputs are uploaded to each validator once.
/// </param>
public sealed record RemoteValidationOptions(RemoteConnection Connection, string? Shared);

/// <summary>A TLS identity and the authority its peers must be issued by.</summary>
/// <param name="Certificate">PKCS#12 file with the certificate and its private key.</param>
/// <param name="PasswordEnvironmentVariable">Environment variable holding the file's password, or null for none.</param>
/// <param name="CertificateAuthority">PEM file of the authority that issued the peers' certificates.</param>
public sealed record TlsFiles(string Certificate, string? PasswordEnvironmentVariable, string CertificateAuthority);

/// <summary>The measurement protocol (<c>device.measure:</c>).</summary>
/// <param name="Warmup">Untimed runs before timing.</param>
/// <param name="Runs">Timed runs per measurement when adaptive stopping is off.</param>
/// <param name="Rounds">Rounds the timed runs of a batch's models are split into, visiting every model in turn.</param>
/// <param name="Trim">Fraction of fastest and of slowest runs dropped before averaging.</param>
/// <param name="ReferenceModels">Reference sub-networks re-measured to detect drift.</param>
/// <param name="ReferenceEvery">Measurements between reference re-measurements.</param>
/// <param name="MaxVariance">Largest relative drift of a reference before data is re-measured.</param>
/// <param name="Adaptive">Adaptive stopping settings.</param>
/// <param name="Statistic">Which statistic of the timed runs is the latency used everywhere.</param>
public sealed record MeasureOptions(
    int Warmup,
    int Runs,
    int Rounds,
    double Trim,
    int ReferenceModels,
    int ReferenceEvery,
    double MaxVariance,
    AdaptiveMeasureOptions Adaptive,
    LatencyStatistic Statistic);

/// <summary>Adaptive stopping of timed runs (<c>device.measure.adaptive:</c>).</summary>
/// <param name="Enabled">Whether timing stops adaptively instead of after a fixed number of runs.</param>
/// <param name="MaxRelativeError">Target confidence-interval half-width relative to the mean.</param>
/// <param name="MinRuns">Fewest timed runs.</param>
/// <param name="MaxRuns">Most timed runs.</param>
public sealed record AdaptiveMeasureOptions(bool Enabled, double MaxRelativeError, int MinRuns, int MaxRuns);

/// <summary>Limits the selected sub-network must meet (<c>constraints:</c>); null means no limit.</summary>
/// <param name="LatencyMs">Largest measured latency per batch, in milliseconds.</param>
/// <param name="MinAccuracy">Smallest validation accuracy, as a fraction.</param>
/// <param name="Params">Largest number of parameters.</param>
/// <param name="Macs">Largest multiply-accumulates per image.</param>
/// <param name="SizeMb">Largest model file size in megabytes.</param>
/// <param name="LatencyMargin">Fraction of the latency budget kept free, so that re-measurements still meet it.</param>
/// <param name="LatencyFraction">
/// Largest latency as a fraction of the largest sub-network's, measured on the same device: a budget that means the same
/// on devices of different speeds. With <paramref name="LatencyMs"/> as well, the tighter one holds.
/// </param>
public sealed record ConstraintsOptions(
    double? LatencyMs, double? MinAccuracy, long? Params, long? Macs, double? SizeMb, double LatencyMargin = 0, double? LatencyFraction = null)
{
    /// <summary>
    /// The latency budget before the margin: <see cref="LatencyMs"/>, <see cref="LatencyFraction"/> of
    /// <paramref name="largestLatencyMs"/>, or the smaller of the two; null when there is no budget.
    /// </summary>
    /// <exception cref="InvalidOperationException">A fraction is set but the largest sub-network's latency is not given.</exception>
    public double? LatencyBudgetMs(double? largestLatencyMs)
    {
        if (LatencyFraction is not { } fraction)
        {
            return LatencyMs;
        }

        var relative = fraction * (largestLatencyMs ?? throw new InvalidOperationException("latency_fraction needs the largest sub-network's latency."));
        return LatencyMs is { } absolute ? Math.Min(absolute, relative) : relative;
    }

    /// <summary>The latency bound sub-networks are held to: the budget less the margin; null when there is no budget.</summary>
    public double? EffectiveLatencyMs(double? largestLatencyMs = null) => LatencyBudgetMs(largestLatencyMs) * (1 - LatencyMargin);
}

/// <summary>The search section (<c>search:</c>).</summary>
/// <param name="Strategy">Search strategy.</param>
/// <param name="Population">Sub-networks per generation.</param>
/// <param name="Iterations">Most outer iterations, or null for no limit but the validations.</param>
/// <param name="InnerGenerations">Generations on the predictors per iteration.</param>
/// <param name="Validations">Most sub-networks measured in total.</param>
/// <param name="WarmStart">Where the initial population comes from.</param>
/// <param name="WarmStartPath">Absolute path of the warm-start file when <paramref name="WarmStart"/> is FromFile.</param>
/// <param name="Predictors">Predictor family per objective.</param>
/// <param name="Crossover">Crossover probability.</param>
/// <param name="Mutation">Per-gene mutation probability.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="MaxTime">Wall-time budget, or null for none.</param>
/// <param name="StopWhenMet">Whether the search stops once a measured sub-network meets every constraint.</param>
/// <param name="Acquisition">How concurrent chooses the sub-networks it measures each round.</param>
/// <param name="Batch">Sub-networks concurrent measures per round after the first (expected-hypervolume acquisition).</param>
/// <param name="FirstBatch">Sub-networks concurrent measures in its first round (expected-hypervolume acquisition).</param>
/// <param name="Exploration">Weight of the predictors' uncertainty in concurrent's expected-hypervolume acquisition.</param>
/// <param name="BatchShare">Least share of the sub-networks measured so far that a round after the first measures (concurrent, acquisition ehvi).</param>
public sealed record SearchOptions(
    SearchStrategy Strategy,
    int Population,
    int? Iterations,
    int InnerGenerations,
    int Validations,
    WarmStartMode WarmStart,
    string? WarmStartPath,
    PredictorOptions Predictors,
    double Crossover,
    double Mutation,
    int Seed,
    TimeSpan? MaxTime,
    bool StopWhenMet,
    SearchAcquisition Acquisition = SearchAcquisition.Ehvi,
    int Batch = 5,
    int FirstBatch = 10,
    double BatchShare = 0.05,
    double Exploration = 0.3);

/// <summary>Predictor family per objective (<c>search.predictors:</c>).</summary>
/// <param name="Latency">Latency predictor.</param>
/// <param name="Accuracy">Accuracy predictor.</param>
public sealed record PredictorOptions(PredictorKind Latency, PredictorKind Accuracy);

/// <summary>The output section (<c>output:</c>).</summary>
/// <param name="Dir">Absolute path of the output folder.</param>
/// <param name="Select">Which sub-network is exported.</param>
/// <param name="ExportFront">Whether every front member is exported too.</param>
/// <param name="Confirm">Best candidates re-measured per round before one is selected; 0 turns confirmation off.</param>
public sealed record OutputOptions(string Dir, SelectionRule Select, bool ExportFront, int Confirm = 3);

/// <summary>Epochs of each phase of progressive shrinking (<c>training.progressive</c>); 0 skips a phase.</summary>
/// <param name="Largest">Epochs training the largest sub-network alone.</param>
/// <param name="Kernel">Epochs with elastic kernel sizes.</param>
/// <param name="Depth">Epochs with elastic kernel sizes and depths.</param>
/// <param name="Expand">Epochs with every dimension elastic: kernel sizes, depths, expand ratios and widths.</param>
public sealed record ProgressiveEpochs(int Largest = 3, int Kernel = 2, int Depth = 3, int Expand = 3)
{
    /// <summary>The epochs of <paramref name="phase"/>.</summary>
    public int Of(SearchSpace.ShrinkingPhase phase) => phase switch
    {
        SearchSpace.ShrinkingPhase.Largest => Largest,
        SearchSpace.ShrinkingPhase.Kernel => Kernel,
        SearchSpace.ShrinkingPhase.Depth => Depth,
        _ => Expand,
    };

    /// <inheritdoc />
    public override string ToString() => $"largest {Largest}, kernel {Kernel}, depth {Depth}, expand {Expand}";
}

/// <summary>
/// The training section (<c>training:</c>): the recipe <c>hwnas train</c> uses unless its flags say otherwise. Null
/// learning rate and weight decay take the optimiser's default; a null seed takes <c>search.seed</c>.
/// </summary>
/// <param name="Method">Sandwich rule or progressive shrinking.</param>
/// <param name="Epochs">Epochs of sandwich training (progressive shrinking counts its phases' epochs instead).</param>
/// <param name="Batch">Images per step.</param>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="LearningRate">Peak learning rate, or null for the optimiser's default.</param>
/// <param name="WarmupSteps">Steps of linear learning-rate warm-up.</param>
/// <param name="WeightDecay">Weight decay, or null for the optimiser's default.</param>
/// <param name="LabelSmoothing">Label smoothing of the largest sub-network's loss.</param>
/// <param name="RandomSubnets">Random sub-networks per step besides the largest and the smallest.</param>
/// <param name="Distillation">Distillation loss of the smaller sub-networks.</param>
/// <param name="Flip">Whether training images are mirrored at random.</param>
/// <param name="Seed">Seed of initialisation, data order and sampling, or null for <c>search.seed</c>.</param>
/// <param name="Threads">Threads torch uses (0: its own choice).</param>
/// <param name="Progressive">Epochs per phase of progressive shrinking.</param>
public sealed record TrainingRecipe(
    TrainingMethod Method,
    int Epochs,
    int Batch,
    TrainingOptimizer Optimizer,
    double? LearningRate,
    int WarmupSteps,
    double? WeightDecay,
    double LabelSmoothing,
    int RandomSubnets,
    DistillationKind Distillation,
    bool Flip,
    int? Seed,
    int Threads,
    ProgressiveEpochs Progressive);
