using System.Globalization;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.Text;

namespace HwAwareNas.OfaBench;

/// <summary>
/// One layer of a sub-network as the latency table times it: the operations of one plan block (stem, an inverted
/// bottleneck, the final expand, the feature mix, the classifier) with the shape they read.
/// </summary>
/// <param name="Key">What makes two layers time alike: the input shape and every operation's hyper-parameters.</param>
/// <param name="Block">The plan block, e.g. <c>blocks.7</c>.</param>
/// <param name="Input">Shape of the value the layer reads.</param>
/// <param name="OpNames">The layer's operations, in plan order.</param>
internal sealed record PlanLayer(string Key, string Block, FeatureShape Input, IReadOnlyList<string> OpNames)
{
    /// <summary>
    /// The layers of <paramref name="plan"/> in order: its operations grouped by block. Each block reads one value from
    /// before it (the image or the previous block's output), which a layer graph takes as its input.
    /// </summary>
    public static IReadOnlyList<PlanLayer> Of(SubnetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var shapes = plan.Ops.ToDictionary(o => o.Name, o => o.Output);
        var layers = new List<PlanLayer>();
        foreach (var group in plan.Ops.GroupBy(o => o.Block))
        {
            var inside = group.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            var outside = group.SelectMany(o => o.Inputs).Where(i => !inside.Contains(i)).Distinct(StringComparer.Ordinal).ToList();
            if (outside.Count != 1)
            {
                throw new InvalidOperationException($"Block '{group.Key}' reads {outside.Count} values from outside; a layer must read exactly one.");
            }

            var input = outside[0] == SubnetPlan.InputName ? plan.Input : shapes[outside[0]];
            var key = input + "|" + string.Join(';', group.Select(Describe));
            layers.Add(new PlanLayer(key, group.Key, input, [.. group.Select(o => o.Name)]));
        }

        return layers;
    }

    /// <summary>
    /// The layer cut out of the whole sub-network's graph <paramref name="whole"/> (whose nodes carry the plan's operation
    /// names): its nodes, reading the graph input where they read the value before the block.
    /// </summary>
    public SubnetGraph GraphFrom(SubnetGraph whole)
    {
        ArgumentNullException.ThrowIfNull(whole);
        var names = OpNames.ToHashSet(StringComparer.Ordinal);
        const string input = SubnetPlan.InputName;
        string Inside(string value) => names.Contains(value) ? value : input;
        var nodes = whole.Nodes.Where(n => names.Contains(n.Name)).Select<SubnetNode, SubnetNode>(n => n switch
        {
            ConvNode c => c with { Input = Inside(c.Input), Inputs = [Inside(c.Input)] },
            BatchNormNode b => b with { Input = Inside(b.Input), Inputs = [Inside(b.Input)] },
            ActivationNode a => a with { Input = Inside(a.Input), Inputs = [Inside(a.Input)] },
            GlobalAveragePoolNode g => g with { Input = Inside(g.Input), Inputs = [Inside(g.Input)] },
            FlattenNode f => f with { Input = Inside(f.Input), Inputs = [Inside(f.Input)] },
            LinearNode l => l with { Input = Inside(l.Input), Inputs = [Inside(l.Input)] },
            AddNode a => a with { Inputs = [Inside(a.Left), Inside(a.Right)], Left = Inside(a.Left), Right = Inside(a.Right) },
            MulNode m => m with { Inputs = [Inside(m.Left), Inside(m.Right)], Left = Inside(m.Left), Right = Inside(m.Right) },
            _ => throw new NotSupportedException($"Layer graphs do not cut {n.GetType().Name} nodes."),
        }).ToList();
        if (nodes.Count != OpNames.Count)
        {
            throw new InvalidOperationException($"The graph holds {nodes.Count} of block '{Block}''s {OpNames.Count} operations.");
        }

        return new SubnetGraph(input, [Input.Channels, Input.Height, Input.Width], nodes, OpNames[^1]);
    }

    // Value names differ between sub-networks; what times alike is the operation and its hyper-parameters.
    private static string Describe(PlanOp op) => op switch
    {
        AddOp => "add",
        MulOp => "mul",
        _ => op.Describe(),
    };
}

/// <summary>
/// Latency of a sub-network from the sum of its layers' measured latencies, OFA's approach for its search, calibrated
/// against whole sub-networks as <c>overhead + scale × sum</c>: the overhead is session-level work no layer carries alone;
/// the scale is what layer-by-layer timing under-counts (on the shared build machine, layers timed alone ran about twice
/// as fast as inside a whole network). Read from and written to a CSV whose <c>#</c> lines record the machine that measured it.
/// </summary>
internal sealed class OfaLatencyTable
{
    /// <summary>The key of the overhead row in the CSV.</summary>
    public const string OverheadKey = "overhead";

    /// <summary>The key of the scale row in the CSV.</summary>
    public const string ScaleKey = "scale";

    private readonly IReadOnlyDictionary<string, double> _layers;

    /// <summary>Creates a table from per-layer latencies (ms), the overhead (ms) and the scale of the layers' sum.</summary>
    public OfaLatencyTable(IReadOnlyDictionary<string, double> layers, double overheadMs, IReadOnlyList<(string Name, string Value)> facts, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers;
        OverheadMs = overheadMs;
        Facts = facts;
        Scale = scale;
    }

    /// <summary>Latency of every distinct layer, ms.</summary>
    public IReadOnlyDictionary<string, double> Layers => _layers;

    /// <summary>Added to every sub-network's scaled sum, ms.</summary>
    public double OverheadMs { get; }

    /// <summary>Factor on the layers' sum.</summary>
    public double Scale { get; }

    /// <summary>The machine and protocol that measured the table (name, value).</summary>
    public IReadOnlyList<(string Name, string Value)> Facts { get; }

    /// <summary>Latency (ms) of the sub-network <paramref name="plan"/> describes.</summary>
    /// <exception cref="KeyNotFoundException">A layer of the plan is not in the table.</exception>
    public double LatencyOf(SubnetPlan plan) => OverheadMs + (Scale * SumOfLayers(plan));

    /// <summary>The sum of the plan's layers, unscaled and without the overhead, ms.</summary>
    public double SumOfLayers(SubnetPlan plan) => PlanLayer.Of(plan).Sum(l => _layers.TryGetValue(l.Key, out var ms)
        ? ms
        : throw new KeyNotFoundException($"The latency table has no layer '{l.Key}' (block {l.Block}); re-measure it."));

    /// <summary>A copy with another calibration.</summary>
    public OfaLatencyTable WithCalibration(double overheadMs, double scale) => new(_layers, overheadMs, Facts, scale);

    /// <summary>The table as CSV: <c># name: value</c> fact lines, then <c>layer,latency_ms</c> rows (overhead and scale first).</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in Facts)
        {
            text.Append("# ").Append(name).Append(": ").Append(value.ReplaceLineEndings(" ")).Append('\n');
        }

        text.Append("layer,latency_ms\n");
        text.Append(OverheadKey).Append(',').Append(OverheadMs.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(ScaleKey).Append(',').Append(Scale.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (key, ms) in _layers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(Rfc4180.Quote(key)).Append(',').Append(ms.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a table <see cref="ToCsv"/> wrote; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="HwNasException">The text is malformed (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public static OfaLatencyTable Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var facts = lines.TakeWhile(l => l.StartsWith('#'))
            .Select(l => l[1..].Split(':', 2))
            .Select(p => (p[0].Trim(), p.Length > 1 ? p[1].Trim() : string.Empty))
            .ToList();
        var records = Rfc4180.Read(string.Join('\n', lines.Skip(facts.Count)), (line, message) => Malformed(source, line + facts.Count, message));
        if (records.Count == 0 || records[0].Fields is not ["layer", "latency_ms"])
        {
            throw Malformed(source, facts.Count + 1, "expected the header 'layer,latency_ms'");
        }

        var layers = new Dictionary<string, double>(StringComparer.Ordinal);
        double? overhead = null;
        var scale = 1.0;
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != 2 || !double.TryParse(record.Fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                throw Malformed(source, record.Line + facts.Count, "expected a layer and a latency in ms");
            }

            if (record.Fields[0] == OverheadKey)
            {
                overhead = ms;
            }
            else if (record.Fields[0] == ScaleKey)
            {
                scale = ms;
            }
            else
            {
                layers[record.Fields[0]] = ms;
            }
        }

        return new OfaLatencyTable(layers, overhead ?? throw Malformed(source, facts.Count + 1, $"no '{OverheadKey}' row"), facts, scale);
    }

    private static HwNasException Malformed(string source, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}({line}): {message}."), ExitCode.MissingInput);
}
