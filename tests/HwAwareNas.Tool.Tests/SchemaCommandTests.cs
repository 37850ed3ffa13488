using System.Globalization;
using System.Text.Json.Nodes;
using NJsonSchema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwAwareNas.Tool.Tests;

[TestClass]
public sealed class SchemaCommandTests
{
    [TestMethod]
    public void SchemaPrintsValidJson()
    {
        var result = Cli.Run("schema");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var schema = JsonNode.Parse(result.Out)!;
        Assert.AreEqual("http://json-schema.org/draft-07/schema#", schema["$schema"]!.GetValue<string>());
        Assert.IsNotNull(schema["properties"]!["device"]);
    }

    [TestMethod]
    public async Task ExamplePassesTheSchemaAndMistakesDoNot()
    {
        var schema = await JsonSchema.FromJsonAsync(Cli.Run("schema").Out);
        var example = YamlToJson(File.ReadAllText(Cli.ExamplePath));

        var errors = schema.Validate(example.ToJsonString());
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));

        example["device"]!["provider"] = "tpu";
        example["search"]!["population"] = "many";
        example["supernet"]!.AsObject().Remove("checkpoint");
        example["output"]!["colour"] = "blue";
        var kinds = schema.Validate(example.ToJsonString()).Select(e => e.Kind).ToList();
        Assert.HasCount(4, kinds, string.Join(", ", kinds));
    }

    [TestMethod]
    public void MarkdownPrintsTheKeyReference()
    {
        var result = Cli.Run("schema", "--markdown");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Out, "# hwnas.yaml keys");
        StringAssert.Contains(result.Out, "| `search.warm_start` | auto \\| none \\| path | `auto` |");
    }

    [TestMethod]
    public void SchemaIsWrittenToAFile()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "schemas", "hwnas.schema.json");

        var result = Cli.Run("schema", "-o", target);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(Cli.Run("schema").Out.Trim(), File.ReadAllText(target).Trim());
    }

    /// <summary>Converts YAML to JSON with YAML 1.2 core-schema typing of plain scalars (quoted scalars stay text).</summary>
    private static JsonObject YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!.AsObject();

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
                KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } quoted => JsonValue.Create(quoted.Value),
            YamlScalarNode { Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
            YamlScalarNode { Value: null or "" or "~" or "null" } => null,
            YamlScalarNode scalar when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            YamlScalarNode scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            YamlScalarNode scalar => JsonValue.Create(scalar.Value),
            _ => throw new NotSupportedException(node.GetType().Name),
        };
    }
}
