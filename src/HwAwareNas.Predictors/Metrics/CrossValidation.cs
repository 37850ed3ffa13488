namespace HwAwareNas.Predictors.Metrics;

/// <summary>Seeded k-fold cross-validation.</summary>
public static class CrossValidation
{
    /// <summary>
    /// The fold (0..k−1) of each of <paramref name="count"/> samples: a seeded shuffle dealt round-robin, so fold
    /// sizes differ by at most one. <paramref name="folds"/> is clamped to <paramref name="count"/>.
    /// </summary>
    public static int[] AssignFolds(int count, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var k = Math.Min(folds, count);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var assignment = new int[count];
        for (var i = 0; i < order.Length; i++)
        {
            assignment[order[i]] = i % k;
        }

        return assignment;
    }

    /// <summary>
    /// Out-of-fold predictions: each sample is predicted by a fresh predictor (from <paramref name="createPredictor"/>)
    /// trained on the other folds, and disposed once it has predicted its fold.
    /// </summary>
    public static double[] PredictOutOfFold(
        Func<IPredictor> createPredictor,
        IReadOnlyList<float[]> features,
        IReadOnlyList<double> targets,
        int folds,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(createPredictor);
        return PredictOutOfFold(features, targets, folds, seed, (trainFeatures, trainTargets, testFeatures) =>
        {
            using var predictor = createPredictor();
            predictor.Fit(trainFeatures, trainTargets);
            return predictor.Predict(testFeatures);
        });
    }

    /// <summary>
    /// Out-of-fold predictions for samples of any kind (feature vectors, genomes): each fold's samples are predicted by
    /// <paramref name="fitAndPredict"/> (training samples, their targets, the fold's samples) fitted on the other folds,
    /// so whatever it fits lives only within the call. Folds as <see cref="AssignFolds"/> deals them.
    /// </summary>
    public static double[] PredictOutOfFold<TSample>(
        IReadOnlyList<TSample> samples,
        IReadOnlyList<double> targets,
        int folds,
        int seed,
        Func<IReadOnlyList<TSample>, IReadOnlyList<double>, IReadOnlyList<TSample>, IReadOnlyList<double>> fitAndPredict)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(fitAndPredict);
        var assignment = AssignFolds(samples.Count, folds, seed);
        var predictions = new double[samples.Count];
        foreach (var fold in assignment.Distinct())
        {
            var train = Enumerable.Range(0, samples.Count).Where(i => assignment[i] != fold).ToArray();
            var test = Enumerable.Range(0, samples.Count).Where(i => assignment[i] == fold).ToArray();
            var predicted = fitAndPredict(
                [.. train.Select(i => samples[i])], [.. train.Select(i => targets[i])], [.. test.Select(i => samples[i])]);
            for (var t = 0; t < test.Length; t++)
            {
                predictions[test[t]] = predicted[t];
            }
        }

        return predictions;
    }

    /// <summary>The <see cref="PredictionQuality"/> of out-of-fold predictions (see <see cref="PredictOutOfFold"/>).</summary>
    public static PredictionQuality Evaluate(
        Func<IPredictor> createPredictor,
        IReadOnlyList<float[]> features,
        IReadOnlyList<double> targets,
        int folds,
        int seed) =>
        QualityMetrics.Evaluate(targets, PredictOutOfFold(createPredictor, features, targets, folds, seed));
}
