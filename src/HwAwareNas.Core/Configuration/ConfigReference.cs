using System.Text;

namespace HwAwareNas.Core.Configuration;

/// <summary>Writes the hwnas.yaml key reference as Markdown from <see cref="ConfigKeys"/>, for the documentation.</summary>
public static class ConfigReference
{
    /// <summary>A Markdown table with one row per key: dotted path, type, default (or "required"), unit and meaning.</summary>
    public static string ToMarkdown()
    {
        var text = new StringBuilder()
            .AppendLine("# hwnas.yaml keys")
            .AppendLine()
            .AppendLine("| key | type | default | unit | meaning |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var (path, key) in ConfigKeys.All())
        {
            var fallback = key.Required ? "**required**" : $"`{key.DefaultDisplay}`";
            text.AppendLine($"| `{path}` | {TypeName(key)} | {fallback} | {key.Unit ?? string.Empty} | {Escape(key.Description)} |");
        }

        return text.ToString();
    }

    private static string TypeName(ConfigKey key) => key.Kind switch
    {
        ConfigValueKind.Section when key.AcceptsProfileName => "mapping or profile name",
        ConfigValueKind.Section => "mapping",
        ConfigValueKind.Choice => string.Join(" \\| ", key.AllowedValues),
        ConfigValueKind.ChoiceList => "list of " + string.Join(" \\| ", key.AllowedValues),
        ConfigValueKind.ChoiceOrPath => string.Join(" \\| ", key.AllowedValues) + " \\| path",
        ConfigValueKind.WholeNumber => "integer",
        ConfigValueKind.WholeNumberList => "list of integers",
        ConfigValueKind.NumberList => "list of numbers",
        ConfigValueKind.NameList => "list of names",
        ConfigValueKind.FreeMap => "map of values",
        ConfigValueKind.Threshold => "number or \">= x\"",
        ConfigValueKind.Ceiling => $"number or \"<= x {key.Unit}\"",
        _ => key.Kind.ToString().ToLowerInvariant(),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
