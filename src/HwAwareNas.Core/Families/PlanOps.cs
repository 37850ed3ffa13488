using System.Globalization;
using HwAwareNas.Core.Networks;

namespace HwAwareNas.Core.Families;

/// <summary>
/// The shape of one image's feature map: channels × height × width. A token sequence (Transformer families) is
/// <c>width × tokens × 1</c>: <see cref="Channels"/> holds the embedding width and <see cref="Height"/> the token count.
/// </summary>
/// <param name="Channels">Channels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
public readonly record struct FeatureShape(int Channels, int Height, int Width)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");
}

/// <summary>
/// One concrete operation of a sub-network, without weights. Operations that own weights name the super-network
/// <c>Slot</c> (an OFA-style state-dict prefix such as <c>blocks.3.depth_conv.conv</c>) whose leading slice they use.
/// </summary>
/// <param name="Name">Unique name; also names the value the operation produces.</param>
/// <param name="Block">The layer or block the operation belongs to (e.g. <c>first_conv</c>, <c>blocks.3</c>), for display.</param>
/// <param name="Inputs">Names of the values the operation reads (<see cref="SubnetPlan.InputName"/> for the image).</param>
/// <param name="Output">Shape of the produced value for one image.</param>
public abstract record PlanOp(string Name, string Block, IReadOnlyList<string> Inputs, FeatureShape Output)
{
    /// <summary>Trainable parameters the operation uses (weights, biases, BatchNorm affine parameters).</summary>
    public virtual long Parameters => 0;

    /// <summary>Multiply-accumulates for one image (convolutions and linear layers only, as OFA counts).</summary>
    public virtual long MultiplyAccumulates => 0;

    /// <summary>A one-line description of the operation's hyper-parameters.</summary>
    public abstract string Describe();
}

/// <summary>2-D convolution without bias unless <paramref name="Bias"/>; padding is symmetric.</summary>
public sealed record ConvOp(
    string Name, string Block, string Input, FeatureShape Output, string Slot, int InChannels, int OutChannels,
    int Kernel, int Stride, int Padding, int Groups, bool Bias)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <summary>Elements of the weight tensor [out, in/groups, k, k].</summary>
    public long WeightElements => (long)OutChannels * (InChannels / Groups) * Kernel * Kernel;

    /// <inheritdoc />
    public override long Parameters => WeightElements + (Bias ? OutChannels : 0);

    /// <inheritdoc />
    public override long MultiplyAccumulates => WeightElements * Output.Height * Output.Width;

    /// <inheritdoc />
    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"conv {InChannels}->{OutChannels} k{Kernel} s{Stride} p{Padding}{(Groups > 1 ? $" g{Groups}" : string.Empty)}{(Bias ? " +bias" : string.Empty)}");
}

/// <summary>Batch normalisation over <paramref name="Channels"/> channels (affine, with running statistics).</summary>
public sealed record BatchNormOp(string Name, string Block, string Input, FeatureShape Output, string Slot, int Channels)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <summary>BatchNorm epsilon OFA uses (bn_param = (0.1, 1e-5)).</summary>
    public const double Epsilon = 1e-5;

    /// <summary>BatchNorm momentum OFA uses for running statistics.</summary>
    public const double Momentum = 0.1;

    /// <inheritdoc />
    public override long Parameters => 2L * Channels;

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"bn {Channels}");
}

/// <summary>Element-wise activation.</summary>
public sealed record ActivationOp(string Name, string Block, string Input, FeatureShape Output, ActivationKind Kind)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => Kind switch
    {
        ActivationKind.Relu => "relu",
        ActivationKind.HardSwish => "h_swish",
        ActivationKind.Gelu => "gelu",
        _ => "h_sigmoid",
    };
}

/// <summary>Mean over height and width, keeping them as 1×1.</summary>
public sealed record GlobalAveragePoolOp(string Name, string Block, string Input, FeatureShape Output)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => "global avg pool";
}

/// <summary>Max pooling.</summary>
public sealed record MaxPoolOp(string Name, string Block, string Input, FeatureShape Output, int Kernel, int Stride, int Padding)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"max pool k{Kernel} s{Stride} p{Padding}");
}

/// <summary>Average pooling without padding (padding would be excluded from the count).</summary>
public sealed record AveragePoolOp(
    string Name, string Block, string Input, FeatureShape Output, int Kernel, int Stride, int Padding, bool CeilMode)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"avg pool k{Kernel} s{Stride} p{Padding}{(CeilMode ? " ceil" : string.Empty)}");
}

/// <summary>Element-wise sum (residual connection).</summary>
public sealed record AddOp(string Name, string Block, string Left, string Right, FeatureShape Output)
    : PlanOp(Name, Block, [Left, Right], Output)
{
    /// <inheritdoc />
    public override string Describe() => $"add {Left} + {Right}";
}

/// <summary>Element-wise product of a feature map with a broadcast [C,1,1] gate (squeeze-and-excite).</summary>
public sealed record MulOp(string Name, string Block, string Left, string Right, FeatureShape Output)
    : PlanOp(Name, Block, [Left, Right], Output)
{
    /// <inheritdoc />
    public override string Describe() => $"mul {Left} * {Right}";
}

/// <summary>Flattens a feature map to a vector of <c>C·H·W</c> features.</summary>
public sealed record FlattenOp(string Name, string Block, string Input, FeatureShape Output)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => "flatten";
}

/// <summary>
/// Fully connected layer, applied at every position of its input: the output shape is [OutFeatures, H, W] for an input
/// of [InFeatures, H, W] ([InFeatures, 1, 1] for a flat vector, [InFeatures, tokens, 1] for a token sequence).
/// </summary>
public sealed record LinearOp(
    string Name, string Block, string Input, FeatureShape Output, string Slot, int InFeatures, int OutFeatures, bool Bias)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override long Parameters => ((long)InFeatures * OutFeatures) + (Bias ? OutFeatures : 0);

    /// <inheritdoc />
    public override long MultiplyAccumulates => (long)InFeatures * OutFeatures * Output.Height * Output.Width;

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"linear {InFeatures}->{OutFeatures}{(Bias ? " +bias" : string.Empty)}");
}

/// <summary>
/// Turns a [C, H, W] feature map into a sequence of H·W tokens of width C (row-major positions), the Transformer's
/// patch tokens: PyTorch <c>x.flatten(2).transpose(1, 2)</c>.
/// </summary>
public sealed record TokensOp(string Name, string Block, string Input, FeatureShape Output)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"to tokens {Output.Height}x{Output.Channels}");
}

/// <summary>Prepends a learned class token (the leading <paramref name="Width"/> entries of slot <paramref name="Slot"/>) to a token sequence.</summary>
public sealed record ClassTokenOp(string Name, string Block, string Input, FeatureShape Output, string Slot, int Width)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override long Parameters => Width;

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"class token {Width}");
}

/// <summary>Adds a learned position embedding [Tokens, Width] (the leading columns of slot <paramref name="Slot"/>) to a token sequence.</summary>
public sealed record PositionEmbeddingOp(string Name, string Block, string Input, FeatureShape Output, string Slot, int Tokens, int Width)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override long Parameters => (long)Tokens * Width;

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"position embedding {Tokens}x{Width}");
}

/// <summary>
/// Layer normalisation over the leading <paramref name="Width"/> features of every token (affine, no running statistics,
/// so a sub-network needs no re-calibration).
/// </summary>
public sealed record LayerNormOp(string Name, string Block, string Input, FeatureShape Output, string Slot, int Width)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <summary>Epsilon of PyTorch's <c>LayerNorm</c> default (and of ViT/AutoFormer).</summary>
    public const double Epsilon = 1e-5;

    /// <inheritdoc />
    public override long Parameters => 2L * Width;

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"layer norm {Width}");
}

/// <summary>
/// Scaled dot-product attention of <paramref name="Heads"/> heads of width <paramref name="HeadWidth"/> over projected
/// queries, keys and values (inputs in that order, each [Heads·HeadWidth, tokens, 1]): softmax(QKᵀ/√HeadWidth)·V per
/// head, heads concatenated. The projections are separate <see cref="LinearOp"/>s; the MACs here are QKᵀ and the
/// weighted sum of V: 2 · tokens² · Heads · HeadWidth.
/// </summary>
public sealed record AttentionOp(
    string Name, string Block, string Query, string Key, string Value, FeatureShape Output, int Heads, int HeadWidth)
    : PlanOp(Name, Block, [Query, Key, Value], Output)
{
    /// <inheritdoc />
    public override long MultiplyAccumulates => 2L * Output.Height * Output.Height * Heads * HeadWidth;

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"attention {Heads} heads x {HeadWidth} over {Output.Height} tokens");
}

/// <summary>
/// Reduces a token sequence to one vector [Width, 1, 1]: the class token (the first token) or the mean of all tokens.
/// </summary>
public sealed record TokenPoolOp(string Name, string Block, string Input, FeatureShape Output, bool ClassToken)
    : PlanOp(Name, Block, [Input], Output)
{
    /// <inheritdoc />
    public override string Describe() => ClassToken ? "class token" : "mean over tokens";
}

/// <summary>
/// The concrete layers of one sub-network in topological order: the single definition that parameter/MAC
/// counting, <c>hwnas inspect</c>, the TorchSharp super-network and weight extraction all follow.
/// </summary>
/// <param name="Input">Shape of one input image.</param>
/// <param name="Ops">Operations in topological order.</param>
/// <param name="OutputName">Name of the value holding the logits.</param>
public sealed record SubnetPlan(FeatureShape Input, IReadOnlyList<PlanOp> Ops, string OutputName)
{
    /// <summary>Name of the image input value.</summary>
    public const string InputName = "input";

    /// <summary>Trainable parameters of the unfused sub-network.</summary>
    public long Parameters => Ops.Sum(op => op.Parameters);

    /// <summary>Multiply-accumulates for one image.</summary>
    public long MultiplyAccumulates => Ops.Sum(op => op.MultiplyAccumulates);
}
