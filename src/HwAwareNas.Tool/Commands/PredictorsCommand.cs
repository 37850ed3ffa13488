using System.ComponentModel.DataAnnotations;
using ConfigKeys = HwAwareNas.Core.Configuration.ConfigKeys;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Data;
using HwAwareNas.Tool.Predictors;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas predictors</c>: builds a latency predictor on the device until it is accurate enough (<c>build</c>),
/// compares latency/accuracy predictors on measured data (<c>evaluate</c>) and fits and saves one (<c>fit</c>), so a
/// user can see how far the search may trust them on their device.
/// </summary>
[Command("predictors", Description = "Build a latency predictor on the device (ESM's loop), or evaluate and fit predictors on measured data.")]
[Subcommand(typeof(PredictorsBuildCommand), typeof(PredictorsEvaluateCommand), typeof(PredictorsFitCommand))]
internal sealed class PredictorsCommand
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The library only invokes instance OnExecute methods.")]
    private int OnExecute(CommandLineApplication app)
    {
        app.ShowHelp();
        return (int)ExitCode.BadConfig;
    }
}

/// <summary>The data options <c>predictors evaluate</c> and <c>predictors fit</c> share.</summary>
internal abstract class PredictorDataCommand : FamilyArguments
{
    /// <summary>Family name (with <see cref="Data"/>).</summary>
    [Option("--family <FAMILY>", Description = "With --data: super-network family of the genomes (mobilenetv3, resnet, transformer).")]
    public string? Family { get; init; }

    /// <summary>The CSV with the measured samples.</summary>
    [Option("--data <CSV>", Description = "CSV with a 'genome' column (OFA-notation JSON) and one column per metric.")]
    public string? Data { get; init; }

    /// <summary>The configuration whose results store holds the samples (instead of <see cref="Data"/>).</summary>
    [Option("--config <PATH>", Description = "Instead of --data: hwnas.yaml whose results store holds this device's latencies.")]
    public string? Config { get; init; }

    /// <summary>The device profile to read measurements of.</summary>
    [Option("--device <NAME>", Description = "With --config: the device profile (default: the configuration's device).")]
    public string? Device { get; init; }

    /// <summary>The metric column to predict.</summary>
    [Required]
    [Option("--metric <NAME>", Description = "The metric column to predict, e.g. latency_ms or accuracy.")]
    public string Metric { get; init; } = string.Empty;

    /// <summary>Number of cross-validation folds.</summary>
    [Option("--folds <K>", Description = "Number of cross-validation folds (default 5).")]
    public int Folds { get; init; } = 5;

    /// <summary>Seed for the folds and the predictors.</summary>
    [Option("--seed <SEED>", Description = "Seed for the folds and the predictors (default 1).")]
    public int Seed { get; init; } = 1;

    /// <summary>Encodings to pair the predictors with.</summary>
    [Option("--encodings <LIST>", Description = "Encodings: comma-separated names or 'all' (default: each predictor's own).")]
    public string? Encodings { get; init; }

    /// <summary>Reads the samples the options name: a CSV (with the family options) or a configuration's results store.</summary>
    /// <exception cref="HwNasException">Neither or both sources, or a source that cannot be read.</exception>
    protected PredictorData ReadData()
    {
        if ((Data is null) == (Config is null))
        {
            throw new HwNasException("Give the samples either as --data CSV (with --family) or as --config hwnas.yaml, not both.", ExitCode.BadConfig);
        }

        if (Config is not null)
        {
            return PredictorData.FromStore(Config, Device, Metric);
        }

        if (string.IsNullOrWhiteSpace(Family))
        {
            throw new HwNasException("--data needs --family to read the genomes.", ExitCode.BadConfig);
        }

        return PredictorData.FromCsv(CreateFamily(Family), Data!, Metric);
    }
}

/// <summary><c>hwnas predictors evaluate</c>: cross-validates every predictor × encoding and prints them side by side.</summary>
[Command("evaluate", Description = "Cross-validate predictors side by side (Kendall tau, Spearman rho, MAPE, RMSE).")]
internal sealed class PredictorsEvaluateCommand : PredictorDataCommand
{
    /// <summary>Predictors to compare.</summary>
    [Option("--predictors <LIST>", Description = "Predictors, comma-separated (default ridge,gbdt,lut,mlp,mlp-small).")]
    public string? Predictors { get; init; }

    /// <summary>Whether to print JSON instead of a table.</summary>
    [Option("--json", Description = "Print a JSON array instead of a table.")]
    public bool Json { get; init; }

    private int OnExecute(IConsole console)
    {
        var factory = PredictorComparison.CreateFactory();
        var data = ReadData();
        var pairings = PredictorComparison.Pairings(factory, PredictorComparison.SplitList(Predictors, PredictorComparison.DefaultPredictors), Encodings, data.Family);
        var scores = PredictorComparison.Evaluate(data, factory, pairings, Folds, Seed, console.Error.WriteLine);
        console.Out.Write(Json ? PredictorComparison.ToJson(scores) + Environment.NewLine : PredictorComparison.ToTable(scores));
        return (int)ExitCode.Success;
    }
}

/// <summary>
/// <c>hwnas predictors fit</c>: fits one predictor (or the best cross-validated one) on all samples, saves it and
/// optionally predicts genomes it has not seen.
/// </summary>
[Command("fit", Description = "Fit a predictor on all samples, save it, and optionally predict other genomes.")]
internal sealed class PredictorsFitCommand : PredictorDataCommand
{
    /// <summary>The predictor to fit, or auto.</summary>
    [Option("--predictor <NAME>", Description = "ridge, gbdt, lut, mlp, mlp-small, or auto (best cross-validated tau; default).")]
    public string Predictor { get; init; } = "auto";

    /// <summary>Where to save the fitted predictor.</summary>
    [Option("-o|--out <PATH>", Description = "Where to save it (default: .hwnas/predictors/<metric>-<fingerprint or data name>.zip beside the store or data).")]
    public string? Out { get; init; }

    /// <summary>Genomes to predict.</summary>
    [Option("--predict <CSV>", Description = "CSV with a 'genome' column to predict the metric for (needs --output).")]
    public string? Predict { get; init; }

    /// <summary>Where to write predictions.</summary>
    [Option("--output <CSV>", Description = "Where --predict writes 'genome,<metric>' rows.")]
    public string? Output { get; init; }

    private int OnExecute(IConsole console)
    {
        if ((Predict is null) != (Output is null))
        {
            throw new HwNasException("--predict and --output go together: the genomes to predict and where to write them.", ExitCode.BadConfig);
        }

        var factory = PredictorComparison.CreateFactory();
        var auto = string.Equals(Predictor, "auto", StringComparison.OrdinalIgnoreCase);
        var data = ReadData();
        var pairings = PredictorComparison.Pairings(factory, auto ? PredictorComparison.DefaultPredictors : [Predictor], Encodings, data.Family);
        var scores = PredictorComparison.Evaluate(data, factory, pairings, Folds, Seed, console.Error.WriteLine);

        // NaN τ (constant predictions) must never win, hence the explicit ordering rather than Max.
        var best = scores.OrderByDescending(s => double.IsNaN(s.Quality.KendallTau) ? double.NegativeInfinity : s.Quality.KendallTau).First();
        console.Out.Write(PredictorComparison.ToTable(scores));

        using var predictor = GenomePredictor.Create(
            data.Family, best.Predictor, best.Encoding, new PredictorOptions { Seed = Seed, Folds = Folds, CrossValidate = false }, factory);
        predictor.Fit(data.Genomes, data.Values);
        var path = Path.GetFullPath(Out ?? data.DefaultModelPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        predictor.Save(path);
        console.Out.WriteLine($"Fitted {best.Predictor} ({best.Encoding}) on {data.Genomes.Count} samples; saved to {path}");

        if (Predict is not null && Output is not null)
        {
            var genomes = MetricCsv.Read(Predict, data.Family).Genomes;
            using var writer = new StreamWriter(Output, append: false, new System.Text.UTF8Encoding(false));
            MetricCsv.Write(writer, data.Family, genomes, Metric, predictor.Predict(genomes));
            console.Out.WriteLine($"Wrote {genomes.Count} predictions to {Path.GetFullPath(Output)}");
        }

        return (int)ExitCode.Success;
    }
}

/// <summary>
/// <c>hwnas predictors build</c>: ESM's measure → fit → evaluate per depth bin → extend loop on the configured device,
/// until the held-out Kendall τ and MAPE meet the targets or the sample budget is spent; the predictor is stored in the
/// results store for <c>optimize</c> (strategies full and concurrent) on this device. Exit code 4 when the targets were
/// not met (the best predictor reached is stored all the same). With <c>--transfer-from</c> another device's stored
/// latencies seed the predictor (few-shot transfer), and the loop starts from 10 samples and adds 10 per round.
/// </summary>
[Command("build", Description = "Measure depth-balanced sub-networks on the device and fit a latency predictor until it meets --tau and --mape; store it for optimize.")]
internal sealed class PredictorsBuildCommand
{
    /// <summary>The configuration file.</summary>
    [Option("-c|--config <PATH>", Description = "hwnas.yaml (default: hwnas.yaml).")]
    public string Config { get; init; } = ConfigKeys.DefaultFileName;

    /// <summary>A device profile replacing the file's device section.</summary>
    [Option("--device <NAME>", Description = "Use the device profile devices/<NAME>.yaml instead of the file's device section.")]
    public string? Device { get; init; }

    /// <summary>Held-out Kendall τ to reach.</summary>
    [Option("--tau <TAU>", Description = "Held-out Kendall tau to reach (default 0.9).")]
    public double Tau { get; init; } = 0.9;

    /// <summary>Held-out MAPE to stay within, in percent.</summary>
    [Option("--mape <PERCENT>", Description = "Held-out MAPE to stay within, in percent (default 5).")]
    public double Mape { get; init; } = 5;

    /// <summary>Most training samples.</summary>
    [Option("--max-samples <N>", Description = "Most training sub-networks to measure (default 500; the held-out set comes on top).")]
    public int MaxSamples { get; init; } = 500;

    /// <summary>Training samples before the first fit, or null for the default (which depends on <see cref="TransferFrom"/>).</summary>
    [Option("--initial <N>", Description = "Depth-balanced training sub-networks measured before the first fit (default 100; 10 with --transfer-from).")]
    public int? Initial { get; init; }

    /// <summary>Training samples added per round, or null for the default (which depends on <see cref="TransferFrom"/>).</summary>
    [Option("--step <N>", Description = "Sub-networks added per round, to the depth bins with the worst MAPE (default 50; 10 with --transfer-from).")]
    public int? Step { get; init; }

    /// <summary>Held-out samples.</summary>
    [Option("--holdout <N>", Description = "Depth-balanced held-out sub-networks the rounds are scored on (default 100).")]
    public int HoldOut { get; init; } = 100;

    /// <summary>The predictor to build.</summary>
    [Option("--predictor <NAME>", Description = "ridge, gbdt, lut or mlp (default: search.predictors.latency; ridge for auto).")]
    public string? Predictor { get; init; }

    /// <summary>Seed of the draws and the predictor.</summary>
    [Option("--seed <SEED>", Description = "Seed of the sub-networks drawn and the predictor (default: search.seed).")]
    public int? Seed { get; init; }

    /// <summary>The device whose stored latencies seed the predictor.</summary>
    [Option("--transfer-from <DEVICE>", Description = "Seed the predictor with another device's stored latencies (a device profile name or a fingerprint key; at least 20 of this super-network): few-shot transfer.")]
    public string? TransferFrom { get; init; }

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public async Task<int> OnExecuteAsync(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        using var cancellation = new CancellationTokenSource();
        void Cancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cancellation.Cancel();
        }

        console.CancelKeyPress += Cancel;
        try
        {
            var transfer = TransferFrom is not null;
            var request = new PredictorBuildRequest(
                Config,
                Device,
                Tau,
                Mape,
                MaxSamples,
                Initial ?? (transfer ? PredictorBuild.TransferInitial : PredictorBuild.DefaultInitial),
                Step ?? (transfer ? PredictorBuild.TransferStep : PredictorBuild.DefaultStep),
                HoldOut,
                Predictor,
                Seed,
                TransferFrom);
            return (int)await PredictorBuild.RunAsync(request, console, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            console.CancelKeyPress -= Cancel;
        }
    }
}
