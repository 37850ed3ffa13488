using System.Collections.Immutable;

namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// A point in a search space: one choice index per gene. Equality is by value, so genomes can key
/// dictionaries and the results store; use <see cref="ISearchSpace.Canonicalize"/> first when genes a
/// shallower depth leaves unused must not make two genomes differ.
/// </summary>
public sealed class Genome : IEquatable<Genome>
{
    /// <summary>Creates a genome from choice indices.</summary>
    public Genome(IEnumerable<int> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        Choices = [.. choices];
    }

    /// <summary>The choice index of every gene, in the search space's gene order.</summary>
    public ImmutableArray<int> Choices { get; }

    /// <summary>Number of genes.</summary>
    public int Length => Choices.Length;

    /// <summary>The choice index of gene <paramref name="index"/>.</summary>
    public int this[int index] => Choices[index];

    /// <summary>A copy with gene <paramref name="index"/> set to <paramref name="choice"/>.</summary>
    public Genome With(int index, int choice) => new(Choices.SetItem(index, choice));

    /// <summary>A compact, stable text key such as <c>0-2-1-1</c> (used by the results store).</summary>
    public string Key => string.Join('-', Choices);

    /// <inheritdoc />
    public bool Equals(Genome? other) =>
        other is not null && Choices.AsSpan().SequenceEqual(other.Choices.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Genome);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in Choices)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(',', Choices)}]";
}
