using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Tests;

/// <summary>
/// A small ridge regression on the one-hot encoding of the canonical genome (plus a bias), solved through the
/// normal equations; the "weak predictor" of the strategy tests.
/// </summary>
internal sealed class RidgeSurrogate(ISearchSpace space, double lambda = 1e-2) : ISurrogateModel
{
    private double[] _weights = [];
    private double _residual = double.NaN;

    public int FitCount { get; private set; }

    public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        var x = genomes.Select(Encode).ToArray();
        var n = x[0].Length;
        var a = new double[n, n + 1];
        for (var r = 0; r < x.Length; r++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    a[i, j] += x[r][i] * x[r][j];
                }

                a[i, n] += x[r][i] * values[r];
            }
        }

        for (var i = 0; i < n; i++)
        {
            a[i, i] += lambda;
        }

        _weights = Solve(a, n);
        var fitted = Predict(genomes);
        _residual = Math.Sqrt(values.Select((v, i) => (v - fitted[i]) * (v - fitted[i])).Average());
        FitCount++;
    }

    public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) =>
        [.. genomes.Select(g => Encode(g).Zip(_weights, (f, w) => f * w).Sum())];

    /// <summary>The training residual's RMSE for every genome.</summary>
    public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) => [.. genomes.Select(_ => _residual)];

    public void Dispose()
    {
    }

    private double[] Encode(Genome genome)
    {
        var canonical = space.Canonicalize(genome);
        var features = new List<double> { 1 };
        for (var i = 0; i < space.Genes.Count; i++)
        {
            for (var c = 0; c < space.Genes[i].Cardinality; c++)
            {
                features.Add(space.IsActive(genome, i) && canonical[i] == c ? 1 : 0);
            }
        }

        return [.. features];
    }

    private static double[] Solve(double[,] a, int n)
    {
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var j = 0; j <= n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var factor = a[r, col] / a[col, col];
                for (var j = col; j <= n; j++)
                {
                    a[r, j] -= factor * a[col, j];
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i])];
    }
}
