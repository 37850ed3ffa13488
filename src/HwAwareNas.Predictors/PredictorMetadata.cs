using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors;

/// <summary>What a fitted predictor is: saved with it and shown in reports.</summary>
/// <param name="Name">The predictor's name, e.g. <c>ridge</c>.</param>
/// <param name="Encoding">The encoding its features come from (empty when fitted on raw features).</param>
/// <param name="TrainingSize">Number of samples it was fitted on.</param>
/// <param name="FeatureCount">Length of the feature vectors it expects.</param>
/// <param name="CrossValidation">Out-of-fold quality on the training data, when it was computed.</param>
/// <param name="Details">Fitted hyper-parameters in words, e.g. <c>alpha=0.01</c>.</param>
public sealed record PredictorMetadata(
    string Name,
    string Encoding,
    int TrainingSize,
    int FeatureCount,
    PredictionQuality? CrossValidation,
    string Details);
