namespace HwAwareNas.Core.Networks;

/// <summary>
/// A dense float tensor extracted from a super-network (row-major, PyTorch layout: conv weights are
/// [out, in/groups, kH, kW], linear weights are [out, in]).
/// </summary>
/// <param name="Shape">Dimensions.</param>
/// <param name="Values">Elements in row-major order; length is the product of <paramref name="Shape"/>.</param>
public sealed record TensorData(IReadOnlyList<int> Shape, float[] Values)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Values.LongLength;
}

/// <summary>Activation functions the elastic families use (PyTorch semantics).</summary>
public enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>x · relu6(x + 3) / 6.</summary>
    HardSwish,

    /// <summary>relu6(x + 3) / 6.</summary>
    HardSigmoid,

    /// <summary>x · Φ(x) with the exact normal CDF: x · (1 + erf(x / √2)) / 2 (PyTorch's default GELU).</summary>
    Gelu,
}

/// <summary>
/// One operation of an extracted sub-network. Nodes read named values and write one named value; the
/// graph input is <see cref="SubnetGraph.InputName"/>. The ONNX exporter folds a BatchNorm into the
/// convolution that feeds it.
/// </summary>
/// <param name="Name">Unique node name (also names its output value).</param>
/// <param name="Inputs">Names of the values the node reads.</param>
public abstract record SubnetNode(string Name, IReadOnlyList<string> Inputs)
{
    /// <summary>The name of the value this node produces.</summary>
    public string Output => Name;
}

/// <summary>2-D convolution with symmetric padding (PyTorch <c>Conv2d</c>).</summary>
public sealed record ConvNode(
    string Name, string Input, TensorData Weight, TensorData? Bias, int Stride, int Padding, int Groups)
    : SubnetNode(Name, [Input]);

/// <summary>Inference-mode batch normalisation over channels.</summary>
public sealed record BatchNormNode(
    string Name, string Input, TensorData Gamma, TensorData Beta, TensorData RunningMean, TensorData RunningVar, double Epsilon)
    : SubnetNode(Name, [Input]);

/// <summary>Element-wise activation.</summary>
public sealed record ActivationNode(string Name, string Input, ActivationKind Kind) : SubnetNode(Name, [Input]);

/// <summary>Mean over the spatial dimensions, keeping them as 1×1 (PyTorch <c>AdaptiveAvgPool2d(1)</c>).</summary>
public sealed record GlobalAveragePoolNode(string Name, string Input) : SubnetNode(Name, [Input]);

/// <summary>Max pooling (PyTorch <c>MaxPool2d</c>).</summary>
public sealed record MaxPoolNode(string Name, string Input, int Kernel, int Stride, int Padding) : SubnetNode(Name, [Input]);

/// <summary>Average pooling (PyTorch <c>AvgPool2d</c>; padding excluded from the count).</summary>
public sealed record AveragePoolNode(string Name, string Input, int Kernel, int Stride, int Padding, bool CeilMode)
    : SubnetNode(Name, [Input]);

/// <summary>Element-wise sum of two values of the same shape (residual connection).</summary>
public sealed record AddNode(string Name, string Left, string Right) : SubnetNode(Name, [Left, Right]);

/// <summary>Element-wise product with broadcasting of a [N,C,1,1] gate over [N,C,H,W] (squeeze-and-excite).</summary>
public sealed record MulNode(string Name, string Left, string Right) : SubnetNode(Name, [Left, Right]);

/// <summary>Flattens [N,C,1,1] (or [N,C,H,W]) to [N, C·H·W].</summary>
public sealed record FlattenNode(string Name, string Input) : SubnetNode(Name, [Input]);

/// <summary>Fully connected layer: y = x · Wᵀ + b (PyTorch <c>Linear</c>), applied to the last dimension (every token of a sequence).</summary>
public sealed record LinearNode(string Name, string Input, TensorData Weight, TensorData? Bias) : SubnetNode(Name, [Input]);

/// <summary>[N,C,H,W] to a token sequence [N, H·W, C] (PyTorch <c>x.flatten(2).transpose(1, 2)</c>).</summary>
public sealed record TokensNode(string Name, string Input) : SubnetNode(Name, [Input]);

/// <summary>Prepends the learned token <paramref name="Token"/> ([C]) to every sample's sequence [N,T,C] → [N,T+1,C].</summary>
public sealed record ClassTokenNode(string Name, string Input, TensorData Token) : SubnetNode(Name, [Input]);

/// <summary>Adds the learned position embedding <paramref name="Embedding"/> ([T,C]) to every sample's sequence [N,T,C].</summary>
public sealed record PositionEmbeddingNode(string Name, string Input, TensorData Embedding) : SubnetNode(Name, [Input]);

/// <summary>Layer normalisation over the last dimension with scale <paramref name="Gamma"/> and shift <paramref name="Beta"/>.</summary>
public sealed record LayerNormNode(string Name, string Input, TensorData Gamma, TensorData Beta, double Epsilon) : SubnetNode(Name, [Input]);

/// <summary>
/// Multi-head scaled dot-product attention over projected queries, keys and values, each [N,T,Heads·d]:
/// softmax(Q·Kᵀ/√d)·V per head, heads concatenated back to [N,T,Heads·d].
/// </summary>
public sealed record AttentionNode(string Name, string Query, string Key, string Value, int Heads) : SubnetNode(Name, [Query, Key, Value]);

/// <summary>A token sequence [N,T,C] to [N,C]: the first (class) token, or the mean over tokens.</summary>
public sealed record TokenPoolNode(string Name, string Input, bool ClassToken) : SubnetNode(Name, [Input]);

/// <summary>
/// A sub-network as a plain dataflow graph with its weights: what the Torch layer extracts from an
/// active sub-network and the ONNX layer writes. Independent of TorchSharp and of ONNX.
/// </summary>
/// <param name="InputName">Name of the graph input value.</param>
/// <param name="InputShape">Input shape without the batch dimension: [C, H, W].</param>
/// <param name="Nodes">Nodes in topological order.</param>
/// <param name="OutputName">Name of the value that holds the logits.</param>
public sealed record SubnetGraph(string InputName, IReadOnlyList<int> InputShape, IReadOnlyList<SubnetNode> Nodes, string OutputName);
