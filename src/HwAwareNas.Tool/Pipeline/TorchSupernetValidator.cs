using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Cluster.Validator;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Evaluation;
using static TorchSharp.torch;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// A validator's accuracy: the super-network and data of a caller's setup, loaded from the files it sent (once per
/// setup, the last one kept), and validated with the same <see cref="SubnetAccuracy"/> and ONNX Runtime scorer a local
/// run uses, on the validator's --threads. The numeric self-check runs on load, as before any local validation.
/// </summary>
internal sealed class TorchSupernetValidator(int threads) : ISupernetValidator, IDisposable
{
    private readonly Lock _gate = new();
    private Loaded? _loaded;

    /// <inheritdoc />
    public double Validate(ValidationSetup setup, IReadOnlyDictionary<string, string> files, int[] choices)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(choices);
        lock (_gate)
        {
            // libtorch's thread count can be held per OS thread: set it on the one that computes.
            set_num_threads(threads);
            var key = setup.Key;
            if (_loaded?.Key != key)
            {
                _loaded?.Session.Dispose();
                _loaded = null;
                var session = Load(setup, files);
                _loaded = new Loaded(key, session, session.Accuracy(threads));
            }

            var genome = _loaded.Session.Family.Canonicalize(new Genome(choices));
            return _loaded.Accuracy.Evaluate(genome);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _loaded?.Session.Dispose();

    private static SupernetSession Load(ValidationSetup setup, IReadOnlyDictionary<string, string> files)
    {
        var family = FamilyRegistry.Create(
            setup.Family,
            new FamilyOptions(new FeatureShape(setup.Input.Channels, setup.Input.Height, setup.Input.Width), setup.Classes, FamilySettingsReader.Split(setup.Settings)));
        var source = new DatasetSource(
            setup.DatasetFormat,
            Required(files, ValidationInputRoles.Train),
            files.GetValueOrDefault(ValidationInputRoles.TrainLabels),
            Required(files, ValidationInputRoles.Validation),
            files.GetValueOrDefault(ValidationInputRoles.ValidationLabels));
        var session = SupernetSession.Open(
            family, Required(files, ValidationInputRoles.Checkpoint), source, setup.CalibrationImages, setup.ValidationImages, setup.Seed, store: null);
        try
        {
            // Read now, so that data that cannot be used is refused before any validation.
            _ = session.Data;
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return session;
    }

    private static string Required(IReadOnlyDictionary<string, string> files, string role) =>
        files.TryGetValue(role, out var path) ? path : throw new HwNasException($"The caller sent no {role} file.", ExitCode.MissingInput);

    private sealed record Loaded(string Key, SupernetSession Session, SubnetAccuracy Accuracy);
}
