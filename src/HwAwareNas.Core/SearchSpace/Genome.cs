using System.Collections.Immutable;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;

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

    /// <summary>The genome of <paramref name="space"/> that a <see cref="Key"/> read back from the results store names.</summary>
    /// <exception cref="HwNasException">
    /// The key is not a genome of <paramref name="space"/>: a store written for another family or settings, or damaged
    /// (exit code <see cref="ExitCode.MissingInput"/>).
    /// </exception>
    public static Genome FromKey(ISearchSpace space, string key)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('-');
        var choices = new int[parts.Length];
        if (parts.Length != space.Genes.Count
            || !parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out choices[i]) && choices[i] < space.Genes[i].Values.Count).All(ok => ok))
        {
            throw new HwNasException($"The results store holds genome key '{key}', which is not a {space.Family} genome.", ExitCode.MissingInput);
        }

        return new Genome(choices);
    }

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
