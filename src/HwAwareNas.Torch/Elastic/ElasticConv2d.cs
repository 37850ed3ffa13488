using HwAwareNas.Core.Families;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// A convolution whose weights are allocated at the largest shape; a sub-network uses the leading output and input
/// channels and the centre crop of the largest kernel (OFA's elastic kernel without the kernel transform matrices).
/// </summary>
public sealed class ElasticConv2d : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Allocates the weights for the largest use of the slot, initialised like PyTorch's Conv2d (uniform in ±1/√fan-in).</summary>
    public ElasticConv2d(string name, ConvOp largest)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(largest);
        MaxOutChannels = largest.OutChannels;
        MaxInChannels = largest.InChannels / largest.Groups;
        MaxKernel = largest.Kernel;
        var fanIn = MaxInChannels * MaxKernel * MaxKernel;
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight = new Parameter(empty(MaxOutChannels, MaxInChannels, MaxKernel, MaxKernel).uniform_(-bound, bound));
        if (largest.Bias)
        {
            bias = new Parameter(empty(MaxOutChannels).uniform_(-bound, bound));
        }

        RegisterComponents();
    }

    /// <summary>Output channels of the stored weight.</summary>
    public int MaxOutChannels { get; }

    /// <summary>Input channels per group of the stored weight.</summary>
    public int MaxInChannels { get; }

    /// <summary>Kernel size of the stored weight.</summary>
    public int MaxKernel { get; }

    /// <summary>The full stored weight [out, in/groups, k, k].</summary>
    public Parameter Weight => weight;

    /// <summary>The full stored bias, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The weight slice <paramref name="op"/> uses: leading channels, centre-cropped kernel (a view).</summary>
    public Tensor ActiveWeight(ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var inPerGroup = op.InChannels / op.Groups;
        if (op.OutChannels > MaxOutChannels || inPerGroup > MaxInChannels || op.Kernel > MaxKernel)
        {
            throw new InvalidOperationException($"Convolution {op.Name} ({op.Describe()}) exceeds the stored weight.");
        }

        var start = (MaxKernel - op.Kernel) / 2;
        return weight.narrow(0, 0, op.OutChannels).narrow(1, 0, inPerGroup).narrow(2, start, op.Kernel).narrow(3, start, op.Kernel);
    }

    /// <summary>The bias slice <paramref name="op"/> uses, or null when the convolution has no bias.</summary>
    public Tensor? ActiveBias(ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Bias ? bias?.narrow(0, 0, op.OutChannels) : null;
    }

    /// <summary>Applies the convolution as <paramref name="op"/> describes it.</summary>
    public Tensor Forward(Tensor input, ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return nn.functional.conv2d(
            input, ActiveWeight(op), ActiveBias(op), strides: [op.Stride, op.Stride], padding: [op.Padding, op.Padding], groups: op.Groups);
    }
}
