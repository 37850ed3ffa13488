using System.Buffers.Binary;
using System.Reflection;
using Google.Protobuf;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Onnx.Proto;

namespace HwAwareNas.Onnx;

/// <summary>
/// Assembles an ONNX <see cref="ModelProto"/> one value at a time: float inputs with a dynamic batch
/// dimension, float initializers, nodes with attributes and outputs. Every value, initializer and node name
/// must be unique, because ONNX resolves edges by name and a duplicate silently rewires the graph.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>
    /// The IR version written. IR 8 is the newest that the ONNX checker of Debian 12 (onnx 1.12) accepts and
    /// ONNX Runtime 1.31 reads it (it reads IR 3 to 11).
    /// </summary>
    internal const long IrVersion = 8;

    /// <summary>The default-domain opset imported: 17 is the newest onnx 1.12 knows and ORT 1.31 supports.</summary>
    internal const long OpsetVersion = 17;

    /// <summary>The symbolic name of the batch dimension of inputs and outputs.</summary>
    internal const string BatchDimension = "N";

    /// <summary>The producer name written into every model.</summary>
    internal const string ProducerName = "HwAwareNas";

    private readonly GraphProto graph;
    private readonly HashSet<string> valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph called <paramref name="graphName"/>.</summary>
    public OnnxGraphBuilder(string graphName)
    {
        graph = new GraphProto { Name = graphName };
    }

    /// <summary>Number of floats held by the initializers added so far (the model's parameters; scalar constants excluded).</summary>
    public long InitializerElementCount { get; private set; }

    /// <summary>Adds a float graph input of shape [N, <paramref name="shapeWithoutBatch"/>...].</summary>
    public string AddInput(string name, IReadOnlyList<int> shapeWithoutBatch)
    {
        ClaimValueName(name);
        graph.Input.Add(BatchedFloatValue(name, shapeWithoutBatch));
        return name;
    }

    /// <summary>Declares <paramref name="name"/>, which a node already produces, as a graph output [N, ...].</summary>
    public void AddOutput(string name, IReadOnlyList<int> shapeWithoutBatch)
    {
        if (!valueNames.Contains(name))
        {
            throw new HwNasException($"ONNX graph output '{name}' is not produced by any node.", ExitCode.Failure);
        }

        if (graph.Output.Any(o => o.Name == name))
        {
            throw new HwNasException($"ONNX graph output '{name}' is declared twice.", ExitCode.Failure);
        }

        graph.Output.Add(BatchedFloatValue(name, shapeWithoutBatch));
    }

    /// <summary>Adds a float initializer stored little-endian in <c>raw_data</c>.</summary>
    public string AddInitializer(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        AddTensor(name, shape, values.Length, TensorProto.Types.DataType.Float, bytes);
        InitializerElementCount += values.Length;
        return name;
    }

    /// <summary>Adds a float scalar constant (e.g. a scale an operator multiplies by), which is not a parameter of the model.</summary>
    public string AddScalar(string name, float value)
    {
        var bytes = new byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        AddTensor(name, [], 1, TensorProto.Types.DataType.Float, bytes);
        return name;
    }

    /// <summary>
    /// Adds an int64 initializer (shapes, axes and indices that operators such as Reshape and Gather read as tensors);
    /// an empty <paramref name="shape"/> makes a scalar.
    /// </summary>
    public string AddInt64Initializer(string name, IReadOnlyList<int> shape, ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        AddTensor(name, shape, values.Length, TensorProto.Types.DataType.Int64, bytes);
        return name;
    }

    /// <summary>
    /// Adds a default-domain node that reads <paramref name="inputs"/> (already defined values) and writes one
    /// new value, named <paramref name="output"/>.
    /// </summary>
    public string AddNode(string opType, string name, IReadOnlyList<string> inputs, string output, params OnnxAttribute[] attributes)
    {
        // Everything is checked before anything is claimed, so a rejected node leaves the builder unchanged.
        if (nodeNames.Contains(name))
        {
            throw new HwNasException($"ONNX node name '{name}' is used twice.", ExitCode.Failure);
        }

        foreach (var input in inputs)
        {
            if (!valueNames.Contains(input))
            {
                throw new HwNasException($"ONNX node '{name}' reads '{input}', which nothing defines before it.", ExitCode.Failure);
            }
        }

        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (!attributeNames.Add(attribute.Name))
            {
                throw new HwNasException($"ONNX node '{name}' sets attribute '{attribute.Name}' twice.", ExitCode.Failure);
            }

            node.Attribute.Add(attribute.ToProto());
        }

        ClaimValueName(output);
        nodeNames.Add(name);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>
    /// Wraps the graph in a model with the IR version, opset, producer and the given metadata (keys must be
    /// distinct, as the ONNX IR requires).
    /// </summary>
    public ModelProto BuildModel(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (graph.Output.Count == 0)
        {
            throw new HwNasException("An ONNX graph needs at least one output.", ExitCode.Failure);
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersionOf(typeof(OnnxGraphBuilder).Assembly),
            Graph = graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (!keys.Add(key))
            {
                throw new HwNasException($"ONNX metadata key '{key}' is given twice.", ExitCode.BadConfig);
            }

            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static string ProducerVersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        }

        // Drop the source-revision suffix ("+sha") the SDK appends, so identical builds write identical models.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }

    private static ValueInfoProto BatchedFloatValue(string name, IReadOnlyList<int> shapeWithoutBatch)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var dim in shapeWithoutBatch)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    private void AddTensor(string name, IReadOnlyList<int> shape, int count, TensorProto.Types.DataType type, byte[] bytes)
    {
        long expected = 1;
        foreach (var dim in shape)
        {
            if (dim <= 0)
            {
                throw new HwNasException($"Initializer '{name}' has a non-positive dimension ({dim}).", ExitCode.Failure);
            }

            expected *= dim;
        }

        if (expected != count)
        {
            throw new HwNasException(
                $"Initializer '{name}' has {count} values but its shape [{string.Join(',', shape)}] holds {expected}.",
                ExitCode.Failure);
        }

        ClaimValueName(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        graph.Initializer.Add(tensor);
    }

    private void ClaimValueName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new HwNasException("ONNX value names must not be empty.", ExitCode.Failure);
        }

        if (!valueNames.Add(name))
        {
            throw new HwNasException($"ONNX value name '{name}' is defined twice.", ExitCode.Failure);
        }
    }
}

/// <summary>One node attribute: an int, a float or a list of ints (all the exporter needs).</summary>
internal sealed record OnnxAttribute
{
    private OnnxAttribute(string name, long? integer, float? real, IReadOnlyList<long>? integers)
    {
        Name = name;
        Integer = integer;
        Real = real;
        Integers = integers;
    }

    /// <summary>The attribute name.</summary>
    public string Name { get; }

    private long? Integer { get; }

    private float? Real { get; }

    private IReadOnlyList<long>? Integers { get; }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value, null, null);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, null, value, null);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, null, null, values);

    /// <summary>The attribute as a protobuf message with exactly one value field set.</summary>
    public AttributeProto ToProto()
    {
        var proto = new AttributeProto { Name = Name };
        if (Integer is { } i)
        {
            proto.Type = AttributeProto.Types.AttributeType.Int;
            proto.I = i;
        }
        else if (Real is { } f)
        {
            proto.Type = AttributeProto.Types.AttributeType.Float;
            proto.F = f;
        }
        else
        {
            proto.Type = AttributeProto.Types.AttributeType.Ints;
            proto.Ints.AddRange(Integers!);
        }

        return proto;
    }
}
