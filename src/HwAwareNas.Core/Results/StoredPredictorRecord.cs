namespace HwAwareNas.Core.Results;

/// <summary>One measured sample of a stored predictor: a canonical genome key and its value.</summary>
/// <param name="GenomeKey">The canonical genome's key.</param>
/// <param name="Value">The measured value (the device's configured latency statistic).</param>
public sealed record PredictorSample(string GenomeKey, double Value);

/// <summary>
/// A predictor <c>hwnas predictors build</c> stored for one device, family and metric: not its fitted state but what
/// refits it exactly (predictor, encoding, seed and the training samples, in order), and how it scored on its
/// held-out set, so <c>optimize</c> can use it and say how far to trust it.
/// </summary>
/// <param name="FingerprintKey">The device fingerprint the samples were measured under.</param>
/// <param name="Family">The family name.</param>
/// <param name="SettingsHash">Hash of the family settings.</param>
/// <param name="Metric">The predicted metric (latency_ms).</param>
/// <param name="Predictor">The predictor factory's name (ridge, gbdt, lut, mlp).</param>
/// <param name="Encoding">The encoding's name.</param>
/// <param name="Seed">The predictor's seed.</param>
/// <param name="Samples">The training samples, in the order they were measured.</param>
/// <param name="HoldOut">The held-out samples the figures below were computed on.</param>
/// <param name="KendallTau">Kendall τ on the held-out set (NaN when undefined).</param>
/// <param name="Mape">MAPE on the held-out set, a fraction.</param>
/// <param name="TargetsMet">Whether the build met its τ and MAPE targets.</param>
/// <param name="BuildJson">The build's targets and rounds (n, τ, MAPE overall and per depth bin), as JSON.</param>
/// <param name="BuiltAt">When the build finished.</param>
public sealed record StoredPredictorRecord(
    string FingerprintKey,
    string Family,
    string SettingsHash,
    string Metric,
    string Predictor,
    string Encoding,
    int Seed,
    IReadOnlyList<PredictorSample> Samples,
    IReadOnlyList<PredictorSample> HoldOut,
    double KendallTau,
    double Mape,
    bool TargetsMet,
    string BuildJson,
    DateTimeOffset BuiltAt);
