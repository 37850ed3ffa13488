using System.Text.Json;
using System.Text.Json.Nodes;

namespace HwAwareNas.Core.Configuration;

/// <summary>Generates the JSON Schema (draft-07) of hwnas.yaml from <see cref="ConfigKeys"/>, for editors and CI.</summary>
public static class ConfigSchema
{
    /// <summary>The schema's <c>$id</c>.</summary>
    public const string Id = "https://hwawarenas.dev/schema/hwnas.schema.json";

    private const double LargestExactInteger = 9007199254740991;

    /// <summary>The schema as indented JSON text.</summary>
    public static string Generate() =>
        Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The schema as a JSON object.</summary>
    public static JsonObject Build()
    {
        var root = SectionSchema(ConfigKeys.Root);
        root.Insert(0, "$schema", "http://json-schema.org/draft-07/schema#");
        root.Insert(1, "$id", Id);
        root.Insert(2, "title", "hwnas.yaml");
        root.Insert(3, "description", "Configuration of HwAwareNas: super-network, dataset, device, objectives, constraints, search and output.");
        return root;
    }

    private static JsonObject SectionSchema(IReadOnlyList<ConfigKey> children)
    {
        var properties = new JsonObject();
        foreach (var child in children)
        {
            properties[child.Name] = KeySchema(child);
        }

        var section = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        var required = children.Where(c => c.Required).Select(c => (JsonNode)c.Name).ToArray();
        if (required.Length > 0)
        {
            section["required"] = new JsonArray(required);
        }

        return section;
    }

    private static JsonObject KeySchema(ConfigKey key)
    {
        var schema = key.Kind switch
        {
            ConfigValueKind.Section when key.AcceptsProfileName => new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["pattern"] = "^[^/\\\\:.][^/\\\\:]*$" },
                    SectionSchema(key.Children)),
            },
            ConfigValueKind.Section => SectionSchema(key.Children),
            ConfigValueKind.Text => new JsonObject { ["type"] = "string" },
            ConfigValueKind.Path => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ConfigValueKind.WholeNumber => Ranged(new JsonObject { ["type"] = "integer" }, key),
            ConfigValueKind.Number => Ranged(new JsonObject { ["type"] = "number" }, key),
            ConfigValueKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ConfigValueKind.Choice => new JsonObject { ["type"] = "string", ["enum"] = Words(key.AllowedValues) },
            ConfigValueKind.ChoiceOrPath => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["enum"] = Words(key.AllowedValues) },
                    new JsonObject { ["type"] = "string", ["minLength"] = 1 }),
            },
            ConfigValueKind.WholeNumberList => List(key, Ranged(new JsonObject { ["type"] = "integer" }, key)),
            ConfigValueKind.NumberList => List(key, Ranged(new JsonObject { ["type"] = "number" }, key)),
            ConfigValueKind.ChoiceList => List(key, new JsonObject { ["type"] = "string", ["enum"] = Words(key.AllowedValues) }),
            ConfigValueKind.NameList => List(key, new JsonObject { ["type"] = "string", ["minLength"] = 1 }),
            ConfigValueKind.FreeMap => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(
                        new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") },
                        new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") } }),
                },
            },
            ConfigValueKind.Threshold => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    Ranged(new JsonObject { ["type"] = "number" }, key),
                    new JsonObject { ["type"] = "string", ["pattern"] = "^\\s*>=\\s*[0-9.eE+-]+\\s*$" }),
            },
            ConfigValueKind.Ceiling => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    Ranged(new JsonObject { ["type"] = "number" }, key),
                    new JsonObject { ["type"] = "string", ["pattern"] = $"^\\s*(<=\\s*)?[0-9.eE+-]+\\s*({key.Unit})?\\s*$" }),
            },
            ConfigValueKind.Duration => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    Ranged(new JsonObject { ["type"] = "number" }, key),
                    new JsonObject { ["type"] = "string", ["pattern"] = "^(?=.)([0-9]+(\\.[0-9]+)?h)?([0-9]+(\\.[0-9]+)?m)?([0-9]+(\\.[0-9]+)?s)?$" }),
            },
            _ => throw new InvalidOperationException($"No schema for kind {key.Kind}."),
        };
        schema.Insert(0, "description", Describe(key));
        if (key.Default is { } value)
        {
            schema["default"] = JsonSerializer.SerializeToNode(value);
        }

        return schema;
    }

    private static string Describe(ConfigKey key)
    {
        var text = key.Description;
        if (key.Unit is { } unit)
        {
            text += $" Unit: {unit}.";
        }

        text += key.Required ? " Required." : $" Default: {key.DefaultDisplay}.";
        return text;
    }

    private static JsonArray Words(IReadOnlyList<string> words) => new([.. words.Select(w => (JsonNode)w)]);

    private static JsonObject List(ConfigKey key, JsonObject items)
    {
        var list = new JsonObject { ["type"] = "array", ["items"] = items };
        if (key.MinItems is { } min)
        {
            list["minItems"] = min;
        }

        if (key.MaxItems is { } max)
        {
            list["maxItems"] = max;
        }

        if (key.Kind is ConfigValueKind.ChoiceList or ConfigValueKind.NameList)
        {
            list["uniqueItems"] = true;
        }

        return list;
    }

    private static JsonObject Ranged(JsonObject schema, ConfigKey key)
    {
        if (key.Minimum is { } min)
        {
            schema[key.ExclusiveMinimum ? "exclusiveMinimum" : "minimum"] = min;
        }

        if (key.Maximum is { } max && max <= LargestExactInteger)
        {
            schema[key.ExclusiveMaximum ? "exclusiveMaximum" : "maximum"] = max;
        }

        return schema;
    }
}
