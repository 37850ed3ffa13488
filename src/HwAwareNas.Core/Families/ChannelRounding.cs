namespace HwAwareNas.Core.Families;

/// <summary>Channel-count rounding as OFA does it (<c>make_divisible</c>, and PyTorch's half-to-even <c>round</c>).</summary>
public static class ChannelRounding
{
    /// <summary>OFA's channel divisor (<c>MyNetwork.CHANNEL_DIVISIBLE</c>).</summary>
    public const int Divisor = 8;

    /// <summary>
    /// The nearest multiple of <paramref name="divisor"/> to <paramref name="value"/> (at least the divisor), bumped up one
    /// step when rounding down would lose more than 10%: OFA's <c>make_divisible</c>.
    /// </summary>
    public static int MakeDivisible(double value, int divisor = Divisor)
    {
        var rounded = Math.Max(divisor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    /// <summary>Channels of an expanded layer: <c>make_divisible(round(channels × ratio))</c>, rounding halves to even like torch.round.</summary>
    public static int Expand(int channels, double ratio) =>
        MakeDivisible(Math.Round(channels * ratio, MidpointRounding.ToEven));
}
