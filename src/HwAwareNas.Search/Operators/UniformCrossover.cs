using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// With probability <see cref="Probability"/>, every gene is swapped between the two parents with probability
/// one half; otherwise the parents pass unchanged.
/// </summary>
/// <param name="probability">Chance that a pair is recombined at all (DyNAS-T uses 0.9).</param>
internal sealed class UniformCrossover(double probability = 0.9) : ICrossover
{
    /// <summary>Chance that a pair is recombined at all.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc />
    public (Genome First, Genome Second) Cross(Genome first, Genome second, Random random)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() >= Probability)
        {
            return (first, second);
        }

        var a = first.Choices.ToArray();
        var b = second.Choices.ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            if (random.NextDouble() < 0.5)
            {
                (a[i], b[i]) = (b[i], a[i]);
            }
        }

        return (new Genome(a), new Genome(b));
    }
}
