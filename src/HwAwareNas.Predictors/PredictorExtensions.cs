namespace HwAwareNas.Predictors;

/// <summary>Conveniences over <see cref="IPredictor"/>.</summary>
internal static class PredictorExtensions
{
    /// <summary>Predicts the metric of one feature vector.</summary>
    public static double Predict(this IPredictor predictor, float[] features)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        return predictor.Predict([features])[0];
    }

    /// <summary>Saves the predictor to <paramref name="path"/>, replacing the file only once it is completely written.</summary>
    public static void Save(this IPredictor predictor, string path)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            predictor.Save(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
