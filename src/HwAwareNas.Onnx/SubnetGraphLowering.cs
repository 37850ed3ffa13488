using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Networks;

namespace HwAwareNas.Onnx;

/// <summary>
/// Translates one <see cref="SubnetGraph"/> into ONNX nodes and initializers on an <see cref="OnnxGraphBuilder"/>,
/// checking every shape on the way (so an inconsistent graph fails here rather than in a runtime later) and
/// folding each BatchNorm whose input is a convolution that nothing else reads.
/// </summary>
internal sealed class SubnetGraphLowering
{
    private readonly SubnetGraph graph;
    private readonly OnnxGraphBuilder builder;

    // Shapes of the values defined so far, without the batch dimension: [C,H,W], a token sequence [T,C], or, after
    // Flatten/Linear/TokenPool, [F].
    private readonly Dictionary<string, int[]> shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchNormNode> foldedInto = new(StringComparer.Ordinal);
    private readonly HashSet<string> foldedBatchNorms = new(StringComparer.Ordinal);

    /// <summary>Prepares to lower <paramref name="graph"/> into <paramref name="builder"/>.</summary>
    public SubnetGraphLowering(SubnetGraph graph, OnnxGraphBuilder builder)
    {
        this.graph = graph;
        this.builder = builder;
    }

    /// <summary>Adds the whole graph with input, nodes and output; returns the output shape without the batch dimension.</summary>
    public IReadOnlyList<int> Lower()
    {
        ValidateStructure();
        PlanBatchNormFolding();
        builder.AddInput(OnnxExporter.InputName, graph.InputShape);
        shapes[graph.InputName] = [.. graph.InputShape];
        foreach (var node in graph.Nodes)
        {
            if (!foldedBatchNorms.Contains(node.Name))
            {
                shapes[node.Output] = Emit(node);
            }
            else
            {
                shapes[node.Output] = shapes[node.Inputs[0]];
            }
        }

        var output = shapes[graph.OutputName];
        if (output.Length != 1)
        {
            throw Inconsistent(
                $"the output '{graph.OutputName}' has shape [{string.Join(',', output)}]; logits must be [classes] per sample (add a Flatten/Linear).");
        }

        builder.AddOutput(OnnxExporter.OutputName, output);
        return output;
    }

    private static HwNasException Inconsistent(string message) =>
        new($"Cannot export the sub-network to ONNX: {message}", ExitCode.Failure);

    private static string Dims(IEnumerable<int> shape) => "[" + string.Join(',', shape) + "]";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void ValidateStructure()
    {
        if (graph.InputShape is not { Count: 3 } || graph.InputShape.Any(d => d <= 0))
        {
            throw Inconsistent($"the input shape must be [C,H,W] with positive sizes, not {Dims(graph.InputShape ?? [])}.");
        }

        if (graph.InputName == graph.OutputName)
        {
            throw Inconsistent("the graph's output is its input.");
        }

        var defined = new HashSet<string>(StringComparer.Ordinal) { graph.InputName };
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (!defined.Contains(input))
                {
                    throw Inconsistent($"node '{node.Name}' reads '{input}', which no earlier node produces.");
                }
            }

            if (!defined.Add(node.Output))
            {
                throw Inconsistent($"the value name '{node.Output}' is defined twice.");
            }
        }

        if (!defined.Contains(graph.OutputName))
        {
            throw Inconsistent($"no node produces the output '{graph.OutputName}'.");
        }
    }

    private void PlanBatchNormFolding()
    {
        var readers = new Dictionary<string, int>(StringComparer.Ordinal) { [graph.OutputName] = 1 };
        foreach (var input in graph.Nodes.SelectMany(n => n.Inputs))
        {
            readers[input] = readers.GetValueOrDefault(input) + 1;
        }

        var convs = graph.Nodes.OfType<ConvNode>().ToDictionary(c => c.Output, StringComparer.Ordinal);
        foreach (var batchNorm in graph.Nodes.OfType<BatchNormNode>())
        {
            if (convs.TryGetValue(batchNorm.Input, out var conv) && readers[conv.Output] == 1)
            {
                foldedInto[conv.Name] = batchNorm;
                foldedBatchNorms.Add(batchNorm.Name);
            }
        }
    }

    private string OnnxName(string value) =>
        value == graph.InputName ? OnnxExporter.InputName
        : value == graph.OutputName ? OnnxExporter.OutputName
        : value;

    private int[] Emit(SubnetNode node) => node switch
    {
        ConvNode conv => EmitConv(conv),
        BatchNormNode batchNorm => EmitBatchNorm(batchNorm),
        ActivationNode activation => EmitActivation(activation),
        GlobalAveragePoolNode pool => EmitGlobalAveragePool(pool),
        MaxPoolNode pool => EmitMaxPool(pool),
        AveragePoolNode pool => EmitAveragePool(pool),
        AddNode add => EmitAdd(add),
        MulNode mul => EmitMul(mul),
        FlattenNode flatten => EmitFlatten(flatten),
        LinearNode linear => EmitLinear(linear),
        TokensNode tokens => EmitTokens(tokens),
        ClassTokenNode token => EmitClassToken(token),
        PositionEmbeddingNode embedding => EmitPositionEmbedding(embedding),
        LayerNormNode norm => EmitLayerNorm(norm),
        AttentionNode attention => EmitAttention(attention),
        TokenPoolNode pool => EmitTokenPool(pool),
        _ => throw Inconsistent($"node '{node.Name}' is a {node.GetType().Name}, which the exporter does not know."),
    };

    private int[] SpatialInput(SubnetNode node)
    {
        var shape = shapes[node.Inputs[0]];
        if (shape.Length != 3)
        {
            throw Inconsistent($"node '{node.Name}' needs a [C,H,W] input but '{node.Inputs[0]}' is {Dims(shape)}.");
        }

        return shape;
    }

    private static void RequireShape(SubnetNode node, string what, TensorData? tensor, params int[] expected)
    {
        if (tensor is null)
        {
            throw Inconsistent($"node '{node.Name}' has no {what}.");
        }

        if (!tensor.Shape.SequenceEqual(expected))
        {
            throw Inconsistent($"node '{node.Name}' has a {what} of shape {Dims(tensor.Shape)}; expected {Dims(expected)}.");
        }

        RequireValueCount(node, what, tensor);
    }

    private static void RequireValueCount(SubnetNode node, string what, TensorData tensor)
    {
        long expected = 1;
        foreach (var dim in tensor.Shape)
        {
            expected *= dim;
        }

        if (tensor.Values is null || tensor.Values.LongLength != expected || tensor.Shape.Any(d => d <= 0))
        {
            throw Inconsistent(Invariant(
                $"node '{node.Name}' has a {what} of shape {Dims(tensor.Shape)} holding {tensor.Values?.LongLength ?? 0} values."));
        }
    }

    /// <summary>Output size of a pooling window; PyTorch rejects pools padded by more than half the kernel.</summary>
    private static int PooledSize(SubnetNode node, int size, int kernel, int stride, int padding, bool ceilMode)
    {
        if (padding > kernel / 2)
        {
            throw Inconsistent(Invariant($"pool '{node.Name}' pads {padding} around a {kernel}-wide window; at most half the window is allowed."));
        }

        return WindowedSize(node, size, kernel, stride, padding, ceilMode);
    }

    private static int WindowedSize(SubnetNode node, int size, int kernel, int stride, int padding, bool ceilMode)
    {
        if (kernel < 1 || stride < 1 || padding < 0)
        {
            throw Inconsistent(Invariant(
                $"node '{node.Name}' has kernel {kernel}, stride {stride}, padding {padding}; need kernel ≥ 1, stride ≥ 1 and padding ≥ 0."));
        }

        var span = size + (2 * padding) - kernel;
        if (span < 0)
        {
            throw Inconsistent(Invariant($"node '{node.Name}' has a {kernel}-wide window over a {size}-wide input."));
        }

        var output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;

        // PyTorch and ONNX drop a last window that would start inside the right padding only.
        if (ceilMode && (output - 1) * stride >= size + padding)
        {
            output--;
        }

        return output;
    }

    private int[] EmitConv(ConvNode conv)
    {
        var (channels, height, width) = ToTuple(SpatialInput(conv));
        var weight = conv.Weight;
        if (weight?.Shape is not { Count: 4 })
        {
            throw Inconsistent($"conv '{conv.Name}' needs a weight of shape [out, in/groups, kH, kW], not {Dims(weight?.Shape ?? [])}.");
        }

        var outChannels = weight.Shape[0];
        var (kernelH, kernelW) = (weight.Shape[2], weight.Shape[3]);
        if (conv.Groups < 1 || channels % conv.Groups != 0 || outChannels % conv.Groups != 0)
        {
            throw Inconsistent(Invariant($"conv '{conv.Name}' has {conv.Groups} groups for {channels} → {outChannels} channels."));
        }

        RequireShape(conv, "weight", weight, outChannels, channels / conv.Groups, kernelH, kernelW);
        if (conv.Bias is not null)
        {
            RequireShape(conv, "bias", conv.Bias, outChannels);
        }

        var outHeight = WindowedSize(conv, height, kernelH, conv.Stride, conv.Padding, ceilMode: false);
        var outWidth = WindowedSize(conv, width, kernelW, conv.Stride, conv.Padding, ceilMode: false);

        var output = conv.Output;
        float[] weights = weight.Values;
        float[]? bias = conv.Bias?.Values;
        if (foldedInto.TryGetValue(conv.Name, out var batchNorm))
        {
            RequireBatchNormShapes(batchNorm, outChannels);
            (weights, bias) = FoldBatchNorm(weight, conv.Bias, batchNorm);
            output = batchNorm.Output;
        }

        var inputs = new List<string>
        {
            OnnxName(conv.Input),
            builder.AddInitializer(conv.Name + ".weight", weight.Shape, weights),
        };
        if (bias is not null)
        {
            inputs.Add(builder.AddInitializer(conv.Name + ".bias", [outChannels], bias));
        }

        builder.AddNode(
            "Conv",
            conv.Name,
            inputs,
            OnnxName(output),
            OnnxAttribute.Ints("kernel_shape", kernelH, kernelW),
            OnnxAttribute.Ints("strides", conv.Stride, conv.Stride),
            OnnxAttribute.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
            OnnxAttribute.Ints("dilations", 1, 1),
            OnnxAttribute.Int("group", conv.Groups));
        return [outChannels, outHeight, outWidth];
    }

    /// <summary>
    /// w' = w·γ/√(σ²+ε) per output channel and b' = (b−μ)·γ/√(σ²+ε)+β, in double precision so that folding
    /// adds no error beyond the final rounding to float.
    /// </summary>
    private static (float[] Weights, float[] Bias) FoldBatchNorm(TensorData weight, TensorData? bias, BatchNormNode batchNorm)
    {
        var outChannels = weight.Shape[0];
        var perChannel = weight.Values.Length / outChannels;
        var weights = new float[weight.Values.Length];
        var folded = new float[outChannels];
        for (var c = 0; c < outChannels; c++)
        {
            var scale = batchNorm.Gamma.Values[c] / Math.Sqrt(batchNorm.RunningVar.Values[c] + batchNorm.Epsilon);
            for (var i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                weights[i] = (float)(weight.Values[i] * scale);
            }

            var b = bias is null ? 0.0 : bias.Values[c];
            folded[c] = (float)(((b - batchNorm.RunningMean.Values[c]) * scale) + batchNorm.Beta.Values[c]);
        }

        return (weights, folded);
    }

    private static void RequireBatchNormShapes(BatchNormNode batchNorm, int channels)
    {
        RequireShape(batchNorm, "gamma", batchNorm.Gamma, channels);
        RequireShape(batchNorm, "beta", batchNorm.Beta, channels);
        RequireShape(batchNorm, "running mean", batchNorm.RunningMean, channels);
        RequireShape(batchNorm, "running variance", batchNorm.RunningVar, channels);
        if (!(batchNorm.Epsilon > 0) || batchNorm.RunningVar.Values.Any(v => !(v >= 0)))
        {
            throw Inconsistent($"batch norm '{batchNorm.Name}' needs a positive epsilon and non-negative running variances.");
        }
    }

    private int[] EmitBatchNorm(BatchNormNode batchNorm)
    {
        var shape = SpatialInput(batchNorm);
        RequireBatchNormShapes(batchNorm, shape[0]);
        var channels = new[] { shape[0] };
        builder.AddNode(
            "BatchNormalization",
            batchNorm.Name,
            [
                OnnxName(batchNorm.Input),
                builder.AddInitializer(batchNorm.Name + ".scale", channels, batchNorm.Gamma.Values),
                builder.AddInitializer(batchNorm.Name + ".bias", channels, batchNorm.Beta.Values),
                builder.AddInitializer(batchNorm.Name + ".mean", channels, batchNorm.RunningMean.Values),
                builder.AddInitializer(batchNorm.Name + ".var", channels, batchNorm.RunningVar.Values),
            ],
            OnnxName(batchNorm.Output),
            OnnxAttribute.Float("epsilon", (float)batchNorm.Epsilon));
        return shape;
    }

    private int[] EmitActivation(ActivationNode activation)
    {
        var input = OnnxName(activation.Input);
        var output = OnnxName(activation.Output);
        _ = activation.Kind switch
        {
            ActivationKind.Relu => builder.AddNode("Relu", activation.Name, [input], output),
            ActivationKind.HardSwish => builder.AddNode("HardSwish", activation.Name, [input], output),

            // PyTorch's relu6(x + 3) / 6 is ONNX's max(0, min(1, alpha·x + beta)) with alpha = 1/6, beta = 0.5.
            ActivationKind.HardSigmoid => builder.AddNode(
                "HardSigmoid",
                activation.Name,
                [input],
                output,
                OnnxAttribute.Float("alpha", 1f / 6f),
                OnnxAttribute.Float("beta", 0.5f)),
            ActivationKind.Gelu => EmitGelu(activation.Name, input, output),
            _ => throw Inconsistent($"activation '{activation.Name}' has unknown kind {activation.Kind}."),
        };
        return shapes[activation.Input];
    }

    private int[] EmitGlobalAveragePool(GlobalAveragePoolNode pool)
    {
        var shape = SpatialInput(pool);
        builder.AddNode("GlobalAveragePool", pool.Name, [OnnxName(pool.Input)], OnnxName(pool.Output));
        return [shape[0], 1, 1];
    }

    private int[] EmitMaxPool(MaxPoolNode pool)
    {
        var (channels, height, width) = ToTuple(SpatialInput(pool));
        var outHeight = PooledSize(pool, height, pool.Kernel, pool.Stride, pool.Padding, ceilMode: false);
        var outWidth = PooledSize(pool, width, pool.Kernel, pool.Stride, pool.Padding, ceilMode: false);
        builder.AddNode(
            "MaxPool",
            pool.Name,
            [OnnxName(pool.Input)],
            OnnxName(pool.Output),
            OnnxAttribute.Ints("kernel_shape", pool.Kernel, pool.Kernel),
            OnnxAttribute.Ints("strides", pool.Stride, pool.Stride),
            OnnxAttribute.Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding));
        return [channels, outHeight, outWidth];
    }

    private int[] EmitAveragePool(AveragePoolNode pool)
    {
        var (channels, height, width) = ToTuple(SpatialInput(pool));
        var outHeight = PooledSize(pool, height, pool.Kernel, pool.Stride, pool.Padding, pool.CeilMode);
        var outWidth = PooledSize(pool, width, pool.Kernel, pool.Stride, pool.Padding, pool.CeilMode);
        builder.AddNode(
            "AveragePool",
            pool.Name,
            [OnnxName(pool.Input)],
            OnnxName(pool.Output),
            OnnxAttribute.Ints("kernel_shape", pool.Kernel, pool.Kernel),
            OnnxAttribute.Ints("strides", pool.Stride, pool.Stride),
            OnnxAttribute.Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding),
            OnnxAttribute.Int("count_include_pad", 0),
            OnnxAttribute.Int("ceil_mode", pool.CeilMode ? 1 : 0));
        return [channels, outHeight, outWidth];
    }

    private int[] EmitAdd(AddNode add)
    {
        var left = shapes[add.Left];
        var right = shapes[add.Right];
        if (!left.SequenceEqual(right))
        {
            throw Inconsistent($"add '{add.Name}' sums {Dims(left)} and {Dims(right)}; the shapes must match.");
        }

        builder.AddNode("Add", add.Name, [OnnxName(add.Left), OnnxName(add.Right)], OnnxName(add.Output));
        return left;
    }

    private int[] EmitMul(MulNode mul)
    {
        var left = shapes[mul.Left];
        var right = shapes[mul.Right];
        var gate = left.Length == 3 && right.Length == 3 && right[0] == left[0] && right[1] == 1 && right[2] == 1;
        if (!gate && !left.SequenceEqual(right))
        {
            throw Inconsistent($"mul '{mul.Name}' multiplies {Dims(left)} by {Dims(right)}; expected equal shapes or a [C,1,1] gate.");
        }

        builder.AddNode("Mul", mul.Name, [OnnxName(mul.Left), OnnxName(mul.Right)], OnnxName(mul.Output));
        return left;
    }

    private int[] EmitFlatten(FlattenNode flatten)
    {
        var shape = shapes[flatten.Input];
        builder.AddNode("Flatten", flatten.Name, [OnnxName(flatten.Input)], OnnxName(flatten.Output), OnnxAttribute.Int("axis", 1));
        return [shape.Aggregate(1, (a, b) => a * b)];
    }

    private int[] EmitLinear(LinearNode linear)
    {
        var shape = shapes[linear.Input];
        if (shape.Length is not (1 or 2))
        {
            throw Inconsistent($"linear '{linear.Name}' needs a flat [features] or token [tokens, features] input but '{linear.Input}' is {Dims(shape)}; add a Flatten.");
        }

        if (linear.Weight?.Shape is not { Count: 2 })
        {
            throw Inconsistent($"linear '{linear.Name}' needs a weight of shape [out, in], not {Dims(linear.Weight?.Shape ?? [])}.");
        }

        var outFeatures = linear.Weight.Shape[0];
        RequireShape(linear, "weight", linear.Weight, outFeatures, shape[^1]);
        if (linear.Bias is not null)
        {
            RequireShape(linear, "bias", linear.Bias, outFeatures);
        }

        return shape.Length == 1 ? EmitGemm(linear, outFeatures) : EmitTokenLinear(linear, shape[0], outFeatures);
    }

    private int[] EmitGemm(LinearNode linear, int outFeatures)
    {
        var inputs = new List<string>
        {
            OnnxName(linear.Input),
            builder.AddInitializer(linear.Name + ".weight", linear.Weight.Shape, linear.Weight.Values),
        };
        if (linear.Bias is not null)
        {
            inputs.Add(builder.AddInitializer(linear.Name + ".bias", [outFeatures], linear.Bias.Values));
        }

        builder.AddNode("Gemm", linear.Name, inputs, OnnxName(linear.Output), OnnxAttribute.Int("transB", 1));
        return [outFeatures];
    }

    // Gemm is 2-D only: a linear over every token is MatMul with the transposed weight [in, out], then Add of the bias.
    private int[] EmitTokenLinear(LinearNode linear, int tokens, int outFeatures)
    {
        var inFeatures = linear.Weight.Shape[1];
        var transposed = new float[linear.Weight.Values.Length];
        for (var o = 0; o < outFeatures; o++)
        {
            for (var i = 0; i < inFeatures; i++)
            {
                transposed[(i * outFeatures) + o] = linear.Weight.Values[(o * inFeatures) + i];
            }
        }

        var weight = builder.AddInitializer(linear.Name + ".weight", [inFeatures, outFeatures], transposed);
        if (linear.Bias is null)
        {
            builder.AddNode("MatMul", linear.Name, [OnnxName(linear.Input), weight], OnnxName(linear.Output));
        }
        else
        {
            var product = builder.AddNode("MatMul", linear.Name + ".matmul", [OnnxName(linear.Input), weight], linear.Name + ".matmul");
            builder.AddNode(
                "Add", linear.Name, [product, builder.AddInitializer(linear.Name + ".bias", [outFeatures], linear.Bias.Values)], OnnxName(linear.Output));
        }

        return [tokens, outFeatures];
    }

    private int[] TokenInput(SubnetNode node, string value)
    {
        var shape = shapes[value];
        if (shape.Length != 2)
        {
            throw Inconsistent($"node '{node.Name}' needs a token sequence [tokens, features] but '{value}' is {Dims(shape)}.");
        }

        return shape;
    }

    private string Int64Constant(string name, params long[] values) =>
        builder.AddInt64Initializer(name, [values.Length], values);

    // [N,C,H,W] → Reshape [N,C,H·W] → Transpose → [N,H·W,C]; 0 in Reshape's shape keeps the (dynamic) batch size.
    private int[] EmitTokens(TokensNode tokens)
    {
        var (channels, height, width) = ToTuple(SpatialInput(tokens));
        var flat = builder.AddNode(
            "Reshape", tokens.Name + ".reshape", [OnnxName(tokens.Input), Int64Constant(tokens.Name + ".shape", 0, channels, -1)], tokens.Name + ".reshape");
        builder.AddNode("Transpose", tokens.Name, [flat], OnnxName(tokens.Output), OnnxAttribute.Ints("perm", 0, 2, 1));
        return [height * width, channels];
    }

    // The token [1,1,C] is expanded to [N,1,C], N read from the input's shape, and concatenated in front of the tokens.
    private int[] EmitClassToken(ClassTokenNode token)
    {
        var (tokens, width) = (TokenInput(token, token.Input)[0], TokenInput(token, token.Input)[1]);
        RequireShape(token, "token", token.Token, width);
        var batch = builder.AddNode(
            "Shape", token.Name + ".batch", [OnnxName(token.Input)], token.Name + ".batch", OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 1));
        var shape = builder.AddNode(
            "Concat", token.Name + ".shape", [batch, Int64Constant(token.Name + ".rest", 1, width)], token.Name + ".shape", OnnxAttribute.Int("axis", 0));
        var expanded = builder.AddNode(
            "Expand", token.Name + ".expand", [builder.AddInitializer(token.Name + ".token", [1, 1, width], token.Token.Values), shape], token.Name + ".expand");
        builder.AddNode("Concat", token.Name, [expanded, OnnxName(token.Input)], OnnxName(token.Output), OnnxAttribute.Int("axis", 1));
        return [tokens + 1, width];
    }

    private int[] EmitPositionEmbedding(PositionEmbeddingNode embedding)
    {
        var shape = TokenInput(embedding, embedding.Input);
        RequireShape(embedding, "embedding", embedding.Embedding, shape[0], shape[1]);
        builder.AddNode(
            "Add",
            embedding.Name,
            [OnnxName(embedding.Input), builder.AddInitializer(embedding.Name + ".embedding", [shape[0], shape[1]], embedding.Embedding.Values)],
            OnnxName(embedding.Output));
        return shape;
    }

    private int[] EmitLayerNorm(LayerNormNode norm)
    {
        var shape = TokenInput(norm, norm.Input);
        RequireShape(norm, "gamma", norm.Gamma, shape[1]);
        RequireShape(norm, "beta", norm.Beta, shape[1]);
        builder.AddNode(
            "LayerNormalization",
            norm.Name,
            [
                OnnxName(norm.Input),
                builder.AddInitializer(norm.Name + ".scale", [shape[1]], norm.Gamma.Values),
                builder.AddInitializer(norm.Name + ".bias", [shape[1]], norm.Beta.Values),
            ],
            OnnxName(norm.Output),
            OnnxAttribute.Int("axis", -1),
            OnnxAttribute.Float("epsilon", (float)norm.Epsilon));
        return shape;
    }

    // Q, K, V [N,T,H·d] → [N,H,T,d] (K as [N,H,d,T]); Softmax(Q·Kᵀ·1/√d)·V; back to [N,T,H·d].
    private int[] EmitAttention(AttentionNode attention)
    {
        var shape = TokenInput(attention, attention.Query);
        if (!TokenInput(attention, attention.Key).SequenceEqual(shape) || !TokenInput(attention, attention.Value).SequenceEqual(shape))
        {
            throw Inconsistent($"attention '{attention.Name}' needs queries, keys and values of one shape.");
        }

        if (attention.Heads < 1 || shape[1] % attention.Heads != 0)
        {
            throw Inconsistent(Invariant($"attention '{attention.Name}' splits {shape[1]} features into {attention.Heads} heads."));
        }

        var name = attention.Name;
        var headWidth = shape[1] / attention.Heads;
        var split = Int64Constant(name + ".heads_shape", 0, 0, attention.Heads, headWidth);
        string Heads(string value, string part, params long[] perm)
        {
            var reshaped = builder.AddNode("Reshape", $"{name}.{part}_split", [OnnxName(value), split], $"{name}.{part}_split");
            return builder.AddNode("Transpose", $"{name}.{part}_heads", [reshaped], $"{name}.{part}_heads", OnnxAttribute.Ints("perm", perm));
        }

        var query = Heads(attention.Query, "q", 0, 2, 1, 3);
        var key = Heads(attention.Key, "k", 0, 2, 3, 1);
        var value = Heads(attention.Value, "v", 0, 2, 1, 3);
        var scores = builder.AddNode("MatMul", name + ".scores", [query, key], name + ".scores");
        var scaled = builder.AddNode(
            "Mul", name + ".scaled", [scores, builder.AddScalar(name + ".scale", (float)(1 / Math.Sqrt(headWidth)))], name + ".scaled");
        var weights = builder.AddNode("Softmax", name + ".softmax", [scaled], name + ".softmax", OnnxAttribute.Int("axis", -1));
        var mixed = builder.AddNode("MatMul", name + ".mix", [weights, value], name + ".mix");
        var merged = builder.AddNode("Transpose", name + ".merge", [mixed], name + ".merge", OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        builder.AddNode("Reshape", name, [merged, Int64Constant(name + ".shape", 0, 0, shape[1])], OnnxName(attention.Output));
        return shape;
    }

    private int[] EmitTokenPool(TokenPoolNode pool)
    {
        var shape = TokenInput(pool, pool.Input);
        if (pool.ClassToken)
        {
            builder.AddNode(
                "Gather",
                pool.Name,
                [OnnxName(pool.Input), builder.AddInt64Initializer(pool.Name + ".index", [], [0L])],
                OnnxName(pool.Output),
                OnnxAttribute.Int("axis", 1));
        }
        else
        {
            builder.AddNode(
                "ReduceMean", pool.Name, [OnnxName(pool.Input)], OnnxName(pool.Output), OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
        }

        return [shape[1]];
    }

    // Opset 17 has no Gelu (it came in 20): x · (1 + erf(x / √2)) / 2 from Div, Erf, Add and Mul.
    private string EmitGelu(string name, string input, string output)
    {
        var scaled = builder.AddNode(
            "Div", name + ".div", [input, builder.AddScalar(name + ".sqrt2", (float)Math.Sqrt(2))], name + ".div");
        var erf = builder.AddNode("Erf", name + ".erf", [scaled], name + ".erf");
        var shifted = builder.AddNode("Add", name + ".add", [erf, builder.AddScalar(name + ".one", 1f)], name + ".add");
        var product = builder.AddNode("Mul", name + ".mul", [input, shifted], name + ".mul");
        return builder.AddNode("Mul", name, [product, builder.AddScalar(name + ".half", 0.5f)], output);
    }

    private static (int Channels, int Height, int Width) ToTuple(int[] shape) => (shape[0], shape[1], shape[2]);
}
