using System.Text;

namespace HwAwareNas.Core.Configuration;

/// <summary>Expands <c>${NAME}</c> and <c>${NAME:-default}</c> references in path values.</summary>
internal static class EnvironmentExpansion
{
    /// <summary>
    /// Expands every reference in <paramref name="text"/>; names that are unset and have no default are
    /// returned in <paramref name="undefined"/> (and expand to nothing).
    /// </summary>
    public static string Expand(string text, Func<string, string?> lookup, out IReadOnlyList<string> undefined)
    {
        var missing = new List<string>();
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start + 2);
            if (end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var reference = text[(start + 2)..end];
            var separator = reference.IndexOf(":-", StringComparison.Ordinal);
            var name = separator < 0 ? reference : reference[..separator];
            var value = lookup(name);
            if (string.IsNullOrEmpty(value))
            {
                if (separator >= 0)
                {
                    value = reference[(separator + 2)..];
                }
                else
                {
                    missing.Add(name);
                }
            }

            result.Append(value);
            i = end + 1;
        }

        undefined = missing;
        return result.ToString();
    }
}
