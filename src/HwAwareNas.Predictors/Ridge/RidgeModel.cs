namespace HwAwareNas.Predictors.Ridge;

/// <summary>
/// A fitted linear model in z-normalised space: prediction = TargetMean + TargetScale · Σ wⱼ (xⱼ − meanⱼ) / scaleⱼ.
/// Its intercept is the target mean because features and targets are centred.
/// </summary>
/// <param name="FeatureMeans">Per-feature training means.</param>
/// <param name="FeatureScales">Per-feature training standard deviations (1 for constant features).</param>
/// <param name="Weights">Weights on the normalised features.</param>
/// <param name="TargetMean">Training target mean.</param>
/// <param name="TargetScale">Training target standard deviation (1 when constant).</param>
internal sealed record RidgeModel(
    double[] FeatureMeans,
    double[] FeatureScales,
    double[] Weights,
    double TargetMean,
    double TargetScale)
{
    public double Predict(float[] features)
    {
        double sum = 0;
        for (var j = 0; j < Weights.Length; j++)
        {
            sum += Weights[j] * (features[j] - FeatureMeans[j]) / FeatureScales[j];
        }

        return TargetMean + (TargetScale * sum);
    }
}
