using System.Globalization;
using System.Text;
using System.Text.Json;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Families;

/// <summary>Writes a sub-network's layer plan, parameters and MACs as a text table or one JSON object (<c>hwnas inspect</c>).</summary>
public static class SubnetPlanReport
{
    /// <summary>A human-readable table: one line per operation, then the totals.</summary>
    public static string ToText(IElasticFamily family, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(family);
        var plan = family.Plan(genome);
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"family:   {family.Family} ({family.SettingsText})");
        text.AppendLine(culture, $"input:    {plan.Input}, classes: {family.Classes}");
        text.AppendLine(culture, $"genome:   {family.ToOfaNotation(genome)}");
        text.AppendLine();
        text.AppendLine(culture, $"{"block",-20} {"operation",-44} {"output",-12} {"params",12} {"MACs",14}");
        foreach (var op in plan.Ops)
        {
            text.AppendLine(
                culture,
                $"{op.Block,-20} {op.Describe(),-44} {op.Output,-12} {op.Parameters,12:N0} {op.MultiplyAccumulates,14:N0}");
        }

        text.AppendLine();
        text.AppendLine(culture, $"params: {plan.Parameters:N0}");
        text.AppendLine(culture, $"MACs:   {plan.MultiplyAccumulates:N0}");
        return text.ToString();
    }

    /// <summary>
    /// One JSON object: <c>family</c>, <c>settings</c>, <c>input</c>, <c>classes</c>, <c>genome</c> (OFA notation),
    /// <c>params</c>, <c>macs</c> and <c>layers</c> (name, block, op, description, inputs, output, params, macs).
    /// </summary>
    public static string ToJson(IElasticFamily family, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(family);
        var plan = family.Plan(genome);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("family", family.Family);
            json.WriteString("settings", family.SettingsText);
            WriteShape(json, "input", plan.Input);
            json.WriteNumber("classes", family.Classes);
            json.WritePropertyName("genome");
            json.WriteRawValue(family.ToOfaNotation(genome));
            json.WriteNumber("params", plan.Parameters);
            json.WriteNumber("macs", plan.MultiplyAccumulates);
            json.WriteStartArray("layers");
            foreach (var op in plan.Ops)
            {
                json.WriteStartObject();
                json.WriteString("name", op.Name);
                json.WriteString("block", op.Block);
                json.WriteString("op", OpKind(op));
                json.WriteString("description", op.Describe());
                json.WriteStartArray("inputs");
                foreach (var input in op.Inputs)
                {
                    json.WriteStringValue(input);
                }

                json.WriteEndArray();
                WriteShape(json, "output", op.Output);
                json.WriteNumber("params", op.Parameters);
                json.WriteNumber("macs", op.MultiplyAccumulates);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // "ConvOp" -> "conv", "GlobalAveragePoolOp" -> "global_average_pool".
    private static string OpKind(PlanOp op)
    {
        var name = op.GetType().Name[..^2];
        var kind = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && kind.Length > 0)
            {
                kind.Append('_');
            }

            kind.Append(char.ToLowerInvariant(c));
        }

        return kind.ToString();
    }

    private static void WriteShape(Utf8JsonWriter json, string name, FeatureShape shape)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(shape.Channels);
        json.WriteNumberValue(shape.Height);
        json.WriteNumberValue(shape.Width);
        json.WriteEndArray();
    }
}
