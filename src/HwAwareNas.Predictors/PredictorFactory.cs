using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Predictors.Auto;
using HwAwareNas.Predictors.Gbdt;
using HwAwareNas.Predictors.Lut;
using HwAwareNas.Predictors.Ridge;
using HwAwareNas.Predictors.RidgeGbdt;
using HwAwareNas.Predictors.Transfer;

namespace HwAwareNas.Predictors;

/// <summary>
/// Creates and loads predictors by name. Knows <c>ridge</c>, <c>gbdt</c>, <c>ridge-gbdt</c>, <c>lut</c> and <c>auto</c>; projects
/// that add predictors (the TorchSharp MLP) register them, and <c>auto</c> then compares them too. A transfer predictor
/// (<see cref="CreateTransfer"/>) is made from a fitted source predictor rather than by name, so it is no registered
/// name, but it loads like the others.
/// </summary>
public sealed class PredictorFactory
{
    private readonly Dictionary<string, Registration> _registrations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    /// <summary>Creates a factory with the built-in predictors.</summary>
    public PredictorFactory()
    {
        Register(RidgePredictor.PredictorName, o => new RidgePredictor(o), RidgePredictor.Load);
        Register(GbdtPredictor.PredictorName, o => new GbdtPredictor(o), GbdtPredictor.Load);
        Register(RidgeGbdtPredictor.PredictorName, o => new RidgeGbdtPredictor(o), RidgeGbdtPredictor.Load);
        Register(LookupTablePredictor.PredictorName, o => new LookupTablePredictor(o), LookupTablePredictor.Load);
        Register(AutoPredictor.PredictorName, o => new AutoPredictor(this, o), a => AutoPredictor.Load(a, this));
    }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds (or replaces) a predictor kind.</summary>
    /// <param name="name">The name hwnas.yaml and saved files use.</param>
    /// <param name="create">Creates an untrained instance.</param>
    /// <param name="load">Restores a saved instance from its archive.</param>
    public void Register(string name, Func<PredictorOptions, IPredictor> create, Func<PredictorArchive, IPredictor> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(load);
        if (!_registrations.ContainsKey(name))
        {
            _names.Add(name);
        }

        _registrations[name] = new Registration(create, load);
    }

    /// <summary>Creates an untrained predictor.</summary>
    /// <exception cref="HwNasException">The name is unknown (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public IPredictor Create(string name, PredictorOptions? options = null) =>
        Lookup(name).Create(options ?? new PredictorOptions());

    /// <summary>
    /// Creates an untrained few-shot transfer predictor for a new device over <paramref name="source"/>, a predictor
    /// fitted on another device's measurements (it takes ownership of it): fitted on a few target-device samples, it maps
    /// the source's predictions onto the target device (see <c>TransferPredictor</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The source is not fitted.</exception>
    public IPredictor CreateTransfer(IPredictor source, PredictorOptions? options = null) => new TransferPredictor(source, this, options);

    /// <summary>Loads a predictor saved by <see cref="IPredictor.Save"/>.</summary>
    /// <exception cref="HwNasException">The stream is not a saved predictor, or of an unregistered kind.</exception>
    public IPredictor Load(Stream stream)
    {
        using var archive = PredictorArchive.Open(stream);
        return string.Equals(archive.Metadata.Name, TransferPredictor.PredictorName, StringComparison.OrdinalIgnoreCase)
            ? TransferPredictor.Load(archive, this)
            : Lookup(archive.Metadata.Name).Load(archive);
    }

    /// <summary>Loads a predictor from a file written by <see cref="PredictorExtensions.Save(IPredictor, string)"/>.</summary>
    /// <exception cref="HwNasException">The file is missing or not a saved predictor (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public IPredictor Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HwNasException($"Predictor file '{path}' does not exist.", ExitCode.MissingInput);
        }

        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    private Registration Lookup(string name) =>
        _registrations.TryGetValue(name, out var registration)
            ? registration
            : throw new HwNasException(
                $"Unknown predictor '{name}'; expected one of: {string.Join(", ", _names)}.", ExitCode.BadConfig);

    private sealed record Registration(Func<PredictorOptions, IPredictor> Create, Func<PredictorArchive, IPredictor> Load);
}
