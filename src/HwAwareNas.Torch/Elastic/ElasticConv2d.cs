using System.Globalization;
using HwAwareNas.Core.Families;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// A convolution whose weights are allocated at the largest shape; a sub-network uses the leading output and input
/// channels and the centre crop of the largest kernel, or, with kernel transforms, OFA's learned transform of it.
/// </summary>
/// <remarks>
/// OFA's elastic depthwise convolution (<c>DynamicSeparableConv2d</c>) derives a smaller kernel step by step from the
/// largest: centre-crop the current kernel to the next smaller size, flatten each channel's k×k values and multiply by
/// that step's learned k²×k² matrix (<c>{big}to{small}_matrix</c>, applied as <c>F.linear</c>). Networks trained here use
/// the plain centre crop; imported OFA networks need the matrices to compute what OFA computes.
/// </remarks>
internal sealed class ElasticConv2d : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    // Kernel sizes ascending and, per adjacent pair (small, big), the matrix mapping the big kernel's centre crop to the small kernel.
    private readonly IReadOnlyList<int> _transformSizes;
    private readonly Dictionary<int, Parameter> _transformsToSize = [];

    /// <summary>
    /// Allocates the weights for the largest use of the slot, initialised like PyTorch's Conv2d (uniform in ±1/√fan-in).
    /// With two or more <paramref name="transformKernelSizes"/> (ascending, the largest equal to the slot's kernel) it
    /// also allocates OFA's kernel-transform matrices, initialised to the identity (which computes the centre crop).
    /// </summary>
    public ElasticConv2d(string name, ConvOp largest, IReadOnlyList<int>? transformKernelSizes = null)
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

        _transformSizes = transformKernelSizes is { Count: > 1 } ? transformKernelSizes : [];
        if (_transformSizes.Count > 0 && _transformSizes[^1] != MaxKernel)
        {
            throw new ArgumentException(
                $"Kernel transforms of {name} must end at its kernel size {MaxKernel}, not {_transformSizes[^1]}.", nameof(transformKernelSizes));
        }

        RegisterComponents();
        for (var i = 1; i < _transformSizes.Count; i++)
        {
            var small = _transformSizes[i - 1];
            var matrix = new Parameter(eye(small * small));
            register_parameter(TransformName(_transformSizes[i], small), matrix);
            _transformsToSize[small] = matrix;
        }
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

    /// <summary>
    /// The kernel-transform matrices by OFA's name (<c>7to5_matrix</c>, <c>5to3_matrix</c>, ...); empty without transforms.
    /// </summary>
    public IReadOnlyDictionary<string, Parameter> KernelTransforms =>
        Enumerable.Range(1, Math.Max(0, _transformSizes.Count - 1))
            .ToDictionary(i => TransformName(_transformSizes[i], _transformSizes[i - 1]), i => _transformsToSize[_transformSizes[i - 1]]);

    /// <summary>
    /// The weight <paramref name="op"/> uses: leading channels and the centre-cropped kernel (a view), or with kernel
    /// transforms and a kernel smaller than the stored one, the transformed kernel.
    /// </summary>
    public Tensor ActiveWeight(ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var inPerGroup = op.InChannels / op.Groups;
        if (op.OutChannels > MaxOutChannels || inPerGroup > MaxInChannels || op.Kernel > MaxKernel)
        {
            throw new InvalidOperationException($"Convolution {op.Name} ({op.Describe()}) exceeds the stored weight.");
        }

        var channels = weight.narrow(0, 0, op.OutChannels).narrow(1, 0, inPerGroup);
        if (_transformSizes.Count == 0 || op.Kernel == MaxKernel)
        {
            var start = (MaxKernel - op.Kernel) / 2;
            return channels.narrow(2, start, op.Kernel).narrow(3, start, op.Kernel);
        }

        var kernel = channels;
        for (var i = _transformSizes.Count - 1; i > 0 && _transformSizes[i] > op.Kernel; i--)
        {
            var small = _transformSizes[i - 1];
            var start = (_transformSizes[i] - small) / 2;
            var flat = kernel.narrow(2, start, small).narrow(3, start, small).contiguous().view(-1, small * small);
            kernel = nn.functional.linear(flat, _transformsToSize[small]).view(op.OutChannels, inPerGroup, small, small);
        }

        if (kernel.shape[^1] != op.Kernel)
        {
            throw new InvalidOperationException($"Convolution {op.Name} has no kernel transform to size {op.Kernel}.");
        }

        return kernel;
    }

    /// <summary>The bias slice <paramref name="op"/> uses, or null when the convolution has no bias.</summary>
    public Tensor? ActiveBias(ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Bias ? bias?.narrow(0, 0, op.OutChannels) : null;
    }

    private static string TransformName(int big, int small) => string.Create(CultureInfo.InvariantCulture, $"{big}to{small}_matrix");

    /// <summary>Applies the convolution as <paramref name="op"/> describes it.</summary>
    public Tensor Forward(Tensor input, ConvOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return nn.functional.conv2d(
            input, ActiveWeight(op), ActiveBias(op), strides: [op.Stride, op.Stride], padding: [op.Padding, op.Padding], groups: op.Groups);
    }
}
