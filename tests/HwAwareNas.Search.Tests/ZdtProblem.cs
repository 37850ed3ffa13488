using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Tests;

/// <summary>ZDT1/ZDT2 discretised: 30 genes × 11 levels, level i meaning x = i/10; every gene always active.</summary>
internal sealed class ZdtProblem : ISearchSpace, IEvaluator
{
    public const int Genes30 = 30;
    public const int Levels = 11;
    private readonly bool _concave;

    public ZdtProblem(bool concave)
    {
        _concave = concave;
        var levels = Enumerable.Range(0, Levels).Select(i => i / 10.0).ToArray();
        Genes = [.. Enumerable.Range(0, Genes30).Select(i => new Gene($"x.{i}", "x", levels))];
    }

    public string Family => _concave ? "zdt2" : "zdt1";

    public IReadOnlyList<Gene> Genes { get; }

    public IReadOnlyList<Objective> Objectives { get; } =
        [new("f1", ObjectiveDirection.Minimize, ""), new("f2", ObjectiveDirection.Minimize, "")];

    public bool IsActive(Genome genome, int geneIndex) => true;

    public Genome Canonicalize(Genome genome) => genome;

    public string ToOfaNotation(Genome genome) => throw new NotSupportedException();

    public Genome FromOfaNotation(string json) => throw new NotSupportedException();

    public double[] Evaluate(Genome genome)
    {
        var f1 = genome[0] / 10.0;
        var g = 1 + (9.0 / (Genes30 - 1) * Enumerable.Range(1, Genes30 - 1).Sum(i => genome[i] / 10.0));
        var ratio = f1 / g;
        var f2 = g * (1 - (_concave ? ratio * ratio : Math.Sqrt(ratio)));
        return [f1, f2];
    }

    /// <summary>The true front of the discretised problem: x1 on the 11 levels, every other gene 0 (g = 1).</summary>
    public IReadOnlyList<double[]> TrueFront() =>
        [.. Enumerable.Range(0, Levels).Select(l => Evaluate(new Genome([l, .. new int[Genes30 - 1]])))];

    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        IReadOnlyList<EvaluatedCandidate> result =
            [.. genomes.Select(g => new EvaluatedCandidate(g, Evaluate(g), EvaluationOrigin.Measured))];
        return Task.FromResult(result);
    }
}
