namespace HwAwareNas.Torch.Datasets;

/// <summary>Deterministic permutations: the same seed gives the same order on every run and machine.</summary>
internal static class SeededShuffle
{
    /// <summary>A Fisher–Yates permutation of <c>0..count-1</c> drawn from a <see cref="Random"/> seeded with <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, count).ToArray();
        // A seeded System.Random uses a fixed legacy algorithm, so the order is stable across .NET versions.
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
