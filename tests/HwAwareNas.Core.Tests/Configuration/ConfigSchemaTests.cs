using System.Text.Json.Nodes;
using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Core.Tests.Configuration;

[TestClass]
public sealed class ConfigSchemaTests
{
    [TestMethod]
    public void EveryLoaderKeyIsInTheSchemaWithItsTypeEnumAndDefault()
    {
        var schema = JsonNode.Parse(ConfigSchema.Generate())!.AsObject();
        var problems = new List<string>();
        foreach (var (path, key) in ConfigKeys.All())
        {
            var node = Navigate(schema, path);
            if (node is null)
            {
                problems.Add($"{path}: not in the schema");
                continue;
            }

            var expectedTypes = key.Kind switch
            {
                ConfigValueKind.Section when key.AcceptsProfileName => "string|object",
                ConfigValueKind.Section or ConfigValueKind.FreeMap => "object",
                ConfigValueKind.WholeNumber => "integer",
                ConfigValueKind.Number => "number",
                ConfigValueKind.Boolean => "boolean",
                ConfigValueKind.WholeNumberList or ConfigValueKind.NumberList or ConfigValueKind.ChoiceList or ConfigValueKind.NameList => "array",
                ConfigValueKind.Threshold or ConfigValueKind.Ceiling or ConfigValueKind.Duration => "number|string",
                _ => "string",
            };
            var actualTypes = string.Join("|", Types(node).Distinct().Order(StringComparer.Ordinal));
            if (actualTypes != string.Join("|", expectedTypes.Split('|').Order(StringComparer.Ordinal)))
            {
                problems.Add($"{path}: schema type {actualTypes}, loader kind {key.Kind}");
            }

            var enumNode = key.Kind switch
            {
                ConfigValueKind.Choice => node["enum"],
                ConfigValueKind.ChoiceList => node["items"]!["enum"],
                ConfigValueKind.ChoiceOrPath => node["anyOf"]![0]!["enum"],
                _ => null,
            };
            if (enumNode is not null && !enumNode.AsArray().Select(v => v!.GetValue<string>()).SequenceEqual(key.AllowedValues))
            {
                problems.Add($"{path}: schema enum {enumNode.ToJsonString()} differs from {string.Join(",", key.AllowedValues)}");
            }

            if (key.Default is not null && node["default"] is null)
            {
                problems.Add($"{path}: default missing from the schema");
            }

            if (!node["description"]!.GetValue<string>().StartsWith(key.Description, StringComparison.Ordinal))
            {
                problems.Add($"{path}: description differs");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void SectionsRequireTheRequiredKeysAndRejectOthers()
    {
        var schema = ConfigSchema.Build();

        Assert.AreEqual("[\"supernet\",\"dataset\"]", schema["required"]!.ToJsonString());
        Assert.IsFalse(schema["additionalProperties"]!.GetValue<bool>());
        var supernet = schema["properties"]!["supernet"]!;
        Assert.AreEqual("[\"family\",\"checkpoint\",\"input\",\"classes\"]", supernet["required"]!.ToJsonString());
        Assert.AreEqual(3, supernet["properties"]!["input"]!["minItems"]!.GetValue<int>());
        Assert.AreEqual(0.5, Navigate(schema, "device.measure.trim")!["exclusiveMaximum"]!.GetValue<double>());
    }

    private static JsonNode? Navigate(JsonObject schema, string path)
    {
        JsonNode? node = schema;
        foreach (var part in path.Split('.'))
        {
            var section = node!["oneOf"] is JsonArray options ? options.First(o => o!["properties"] is not null) : node;
            node = section!["properties"]?[part];
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static IEnumerable<string> Types(JsonNode node)
    {
        if (node["type"] is JsonValue single)
        {
            yield return single.GetValue<string>();
        }

        foreach (var option in (node["oneOf"] ?? node["anyOf"])?.AsArray() ?? [])
        {
            foreach (var type in Types(option!))
            {
                yield return type;
            }
        }
    }
}
