using HwAwareNas.Core.Networks;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Appends operations to a plan while tracking each value's shape, so families describe layers, not arithmetic on
/// output sizes. Operation names are the slot (or block) plus a suffix, which keeps them unique and readable.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<PlanOp> _ops = [];
    private readonly Dictionary<string, FeatureShape> _shapes = [];

    public PlanBuilder(FeatureShape input)
    {
        Input = input;
        _shapes[SubnetPlan.InputName] = input;
    }

    public FeatureShape Input { get; }

    public FeatureShape ShapeOf(string value) => _shapes[value];

    /// <summary>A convolution padded by <c>kernel / 2</c> unless <paramref name="padding"/> is given.</summary>
    public string Conv(
        string block, string input, string slot, int outChannels, int kernel, int stride, int groups = 1, bool bias = false, int? padding = null)
    {
        var inShape = _shapes[input];
        var pad = padding ?? kernel / 2;
        var output = new FeatureShape(
            outChannels, ConvolvedSize(inShape.Height, kernel, stride, pad), ConvolvedSize(inShape.Width, kernel, stride, pad));
        return Add(new ConvOp(slot, block, input, output, slot, inShape.Channels, outChannels, kernel, stride, pad, groups, bias));
    }

    public string BatchNorm(string block, string input, string slot) =>
        Add(new BatchNormOp(slot, block, input, _shapes[input], slot, _shapes[input].Channels));

    public string Activation(string block, string input, string name, ActivationKind kind) =>
        Add(new ActivationOp(name, block, input, _shapes[input], kind));

    /// <summary>Convolution, BatchNorm and (optionally) activation, named <c>{prefix}.conv</c>, <c>{prefix}.bn</c>, <c>{prefix}.act</c>.</summary>
    public string ConvBnAct(
        string block, string input, string prefix, int outChannels, int kernel, int stride, ActivationKind? act, int groups = 1)
    {
        var x = Conv(block, input, prefix + ".conv", outChannels, kernel, stride, groups);
        x = BatchNorm(block, x, prefix + ".bn");
        return act is { } kind ? Activation(block, x, prefix + ".act", kind) : x;
    }

    public string GlobalAveragePool(string block, string input, string name)
    {
        var shape = _shapes[input];
        return Add(new GlobalAveragePoolOp(name, block, input, new FeatureShape(shape.Channels, 1, 1)));
    }

    public string MaxPool(string block, string input, string name, int kernel, int stride, int padding)
    {
        var shape = _shapes[input];
        var output = new FeatureShape(
            shape.Channels, ConvolvedSize(shape.Height, kernel, stride, padding), ConvolvedSize(shape.Width, kernel, stride, padding));
        return Add(new MaxPoolOp(name, block, input, output, kernel, stride, padding));
    }

    /// <summary>Unpadded average pooling with ceil mode (OFA's avgpool_conv downsample).</summary>
    public string AveragePoolCeil(string block, string input, string name, int kernel, int stride)
    {
        var shape = _shapes[input];
        var output = new FeatureShape(
            shape.Channels, CeilPooledSize(shape.Height, kernel, stride), CeilPooledSize(shape.Width, kernel, stride));
        return Add(new AveragePoolOp(name, block, input, output, kernel, stride, 0, CeilMode: true));
    }

    public string Sum(string block, string left, string right, string name) =>
        Add(new AddOp(name, block, left, right, RequireSameShape(left, right)));

    public string Gate(string block, string input, string gate, string name) =>
        Add(new MulOp(name, block, input, gate, _shapes[input]));

    public string Flatten(string block, string input, string name)
    {
        var shape = _shapes[input];
        return Add(new FlattenOp(name, block, input, new FeatureShape(shape.Channels * shape.Height * shape.Width, 1, 1)));
    }

    /// <summary>A linear layer with bias at every position of <paramref name="input"/> (one for a flat vector, one per token for a sequence).</summary>
    public string Linear(string block, string input, string slot, int outFeatures)
    {
        var shape = _shapes[input];
        return Add(new LinearOp(
            slot, block, input, new FeatureShape(outFeatures, shape.Height, shape.Width), slot, shape.Channels, outFeatures, Bias: true));
    }

    /// <summary>A [C, H, W] feature map as H·W tokens of width C.</summary>
    public string Tokens(string block, string input, string name)
    {
        var shape = _shapes[input];
        return Add(new TokensOp(name, block, input, new FeatureShape(shape.Channels, shape.Height * shape.Width, 1)));
    }

    public string ClassToken(string block, string input, string slot)
    {
        var shape = _shapes[input];
        return Add(new ClassTokenOp(slot, block, input, shape with { Height = shape.Height + 1 }, slot, shape.Channels));
    }

    public string PositionEmbedding(string block, string input, string slot)
    {
        var shape = _shapes[input];
        return Add(new PositionEmbeddingOp(slot, block, input, shape, slot, shape.Height, shape.Channels));
    }

    public string LayerNorm(string block, string input, string slot) =>
        Add(new LayerNormOp(slot, block, input, _shapes[input], slot, _shapes[input].Channels));

    public string Attention(string block, string query, string key, string value, string name, int heads, int headWidth)
    {
        RequireSameShape(query, key);
        return Add(new AttentionOp(name, block, query, key, value, RequireSameShape(query, value), heads, headWidth));
    }

    public string TokenPool(string block, string input, string name, bool classToken) =>
        Add(new TokenPoolOp(name, block, input, new FeatureShape(_shapes[input].Channels, 1, 1), classToken));

    public SubnetPlan Build(string output) => new(Input, [.. _ops], output);

    private static int ConvolvedSize(int size, int kernel, int stride, int padding) =>
        ((size + (2 * padding) - kernel) / stride) + 1;

    // PyTorch ceil mode drops a last window that would start outside the input; without padding none does.
    private static int CeilPooledSize(int size, int kernel, int stride) =>
        (int)Math.Ceiling((size - kernel) / (double)stride) + 1;

    private FeatureShape RequireSameShape(string left, string right)
    {
        if (_shapes[left] != _shapes[right])
        {
            throw new InvalidOperationException($"Residual shapes differ: {left} is {_shapes[left]}, {right} is {_shapes[right]}.");
        }

        return _shapes[left];
    }

    private string Add(PlanOp op)
    {
        _shapes.Add(op.Name, op.Output);
        _ops.Add(op);
        return op.Name;
    }
}
