namespace HwAwareNas.Core.Configuration;

/// <summary>Maps the words of choice keys to enum members and back (<c>warm-start</c> ↔ <c>WarmStart</c>).</summary>
public static class ConfigChoices
{
    /// <summary>The enum member a word names: the member whose name equals the word without dashes, ignoring case.</summary>
    /// <exception cref="ArgumentException">No member matches.</exception>
    public static TEnum Parse<TEnum>(string word)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(word.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
        && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"'{word}' names no {typeof(TEnum).Name} member.", nameof(word));

    /// <summary>The word a member is written as in hwnas.yaml, from the key table entry that binds to its enum.</summary>
    public static string Format<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return ConfigKeys.All()
            .Where(k => k.Key.EnumType == typeof(TEnum))
            .SelectMany(k => k.Key.AllowedValues)
            .FirstOrDefault(w => string.Equals(w.Replace("-", string.Empty, StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase))
            ?? name.ToLowerInvariant();
    }
}
