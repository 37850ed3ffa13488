using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// With probability <see cref="Probability"/>, the parents exchange their tails after a random cut point
/// (1..genes-1); otherwise they pass unchanged.
/// </summary>
/// <param name="probability">Chance that a pair is recombined at all (DyNAS-T uses 0.9).</param>
internal sealed class SinglePointCrossover(double probability = 0.9) : ICrossover
{
    /// <summary>Chance that a pair is recombined at all.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc />
    public (Genome First, Genome Second) Cross(Genome first, Genome second, Random random)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(random);
        if (first.Length < 2 || random.NextDouble() >= Probability)
        {
            return (first, second);
        }

        var cut = random.Next(1, first.Length);
        var a = first.Choices.Take(cut).Concat(second.Choices.Skip(cut));
        var b = second.Choices.Take(cut).Concat(first.Choices.Skip(cut));
        return (new Genome(a), new Genome(b));
    }
}
