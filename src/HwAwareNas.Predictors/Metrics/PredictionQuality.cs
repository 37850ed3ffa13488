namespace HwAwareNas.Predictors.Metrics;

/// <summary>How well predictions match measured values on data the predictor did not train on.</summary>
/// <param name="Count">Number of (measured, predicted) pairs.</param>
/// <param name="KendallTau">Kendall τ-b rank correlation (ties handled); the figure Laube et al. and DyNAS-T compare by.</param>
/// <param name="SpearmanRho">Spearman ρ (Pearson correlation of average ranks).</param>
/// <param name="Mape">Mean absolute percentage error as a fraction (0.05 = 5%), over non-zero measured values.</param>
/// <param name="Rmse">Root mean squared error in the target's unit.</param>
/// <param name="Within5Percent">Share of predictions within ±5% of the measured value.</param>
/// <param name="Within10Percent">Share of predictions within ±10% of the measured value (ESM's accuracy).</param>
public sealed record PredictionQuality(
    int Count,
    double KendallTau,
    double SpearmanRho,
    double Mape,
    double Rmse,
    double Within5Percent,
    double Within10Percent);
