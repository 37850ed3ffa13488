using HwAwareNas.Cluster.Caller;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Cluster.Validator;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Results;
using HwAwareNas.Torch.Evaluation;
using HwAwareNas.Torch.Training;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The accuracy validation of a run: this machine's (<see cref="SupernetAccuracyEvaluator"/>), or, when the configuration
/// names validators (<c>validation.remote</c>), a <see cref="DistributedAccuracyEvaluator"/> that shares each batch
/// between them and, unless <c>validation.local</c> is false, this machine. Both store every accuracy under the same key;
/// <see cref="Evaluations"/> counts the validations either actually performed.
/// </summary>
internal sealed class AccuracyValidation : IEvaluator, IAsyncDisposable
{
    private readonly IEvaluator _evaluator;

    private AccuracyValidation(IEvaluator evaluator) => _evaluator = evaluator;

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives => _evaluator.Objectives;

    /// <summary>Genomes validated in this run (not read from the store), on this machine and on validators.</summary>
    public int Evaluations => _evaluator switch
    {
        DistributedAccuracyEvaluator distributed => distributed.Validations,
        SupernetAccuracyEvaluator local => local.Evaluations,
        _ => 0,
    };

    /// <summary>The validators' evaluator, or null when this machine validates alone.</summary>
    public DistributedAccuracyEvaluator? Distributed => _evaluator as DistributedAccuracyEvaluator;

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Core.SearchSpace.Genome> genomes, CancellationToken cancellationToken) =>
        _evaluator.EvaluateAsync(genomes, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_evaluator is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens the validation <paramref name="config"/> asks for.</summary>
    /// <exception cref="HwNasException">Validators are named for a folder dataset (exit code 2), or cannot be reached (exit code 3).</exception>
    public static async Task<AccuracyValidation> OpenAsync(
        HwNasConfig config, SupernetSession session, ResultsStore store, Action<string> notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(store);
        if (config.Validation?.Remote is not { } remote)
        {
            return new AccuracyValidation(new SupernetAccuracyEvaluator(session.Accuracy(), session.Family, new StoreAccuracyCache(store), session.CheckpointHash, session.Data.Key));
        }

        var files = InputFiles(config);
        var setup = new ValidationSetup(
            session.Family.Family,
            session.Family.SettingsText,
            config.Supernet.Input,
            config.Supernet.Classes,
            config.Dataset.Format,
            config.Dataset.CalibrationImages,
            config.Dataset.ValidationImages,
            config.Search.Seed,
            [.. files.Select(f => Describe(f.Key, f.Value, f.Key == ValidationInputRoles.Checkpoint ? session.CheckpointHash : null))],
            Shared: null);
        var accuracy = session.Accuracy();
        Func<Core.SearchSpace.Genome, double>? local = config.Validation.Local ? accuracy.Evaluate : null;
        return new AccuracyValidation(await DistributedAccuracyEvaluator.ConnectAsync(
            remote, setup, files, session.Family, new AccuracyScope(store, session.CheckpointHash, session.Data.Key), local, notice, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The files a validator needs, by role: checkpoint, its training record, the dataset's files.</summary>
    private static Dictionary<string, string> InputFiles(HwNasConfig config)
    {
        var dataset = config.Dataset;
        if (dataset.Format == DatasetFormat.Folder)
        {
            throw new HwNasException(
                "validation.remote needs a dataset of files (format idx or npy): validators are sent files by SHA-256, and a folder dataset is not one. Validate on this machine (drop validation.remote), or convert the data.",
                ExitCode.BadConfig);
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ValidationInputRoles.Checkpoint] = config.Supernet.Checkpoint,
            [ValidationInputRoles.Record] = TrainingRecord.PathFor(config.Supernet.Checkpoint),
            [ValidationInputRoles.Train] = dataset.Train,
            [ValidationInputRoles.TrainLabels] = dataset.TrainLabels!,
            [ValidationInputRoles.Validation] = dataset.Val,
            [ValidationInputRoles.ValidationLabels] = dataset.ValLabels!,
        };
    }

    private static ValidationInput Describe(string role, string path, string? knownSha256) =>
        new(role, Path.GetFileName(path), knownSha256 ?? InputCache.HashOf(path), new FileInfo(path).Length);
}
