using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// LayerNorm allocated for the largest width; a sub-network of width w normalises each token over its w features with
/// the leading w scales and shifts (AutoFormer's elastic LayerNorm). It keeps no running statistics, so sub-networks need
/// no re-calibration.
/// </summary>
internal sealed class ElasticLayerNorm : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Allocates γ = 1 and β = 0 for <paramref name="width"/> features.</summary>
    public ElasticLayerNorm(string name, int width)
        : base(name)
    {
        MaxWidth = width;
        weight = new Parameter(ones(width));
        bias = new Parameter(zeros(width));
        RegisterComponents();
    }

    /// <summary>Features the parameters are allocated for.</summary>
    public int MaxWidth { get; }

    /// <summary>Scale γ for the leading <paramref name="width"/> features (a view).</summary>
    public Tensor Gamma(int width) => Slice(weight, width);

    /// <summary>Shift β for the leading <paramref name="width"/> features (a view).</summary>
    public Tensor Beta(int width) => Slice(bias, width);

    /// <summary>Normalises the last dimension of <paramref name="input"/>, which must be <paramref name="width"/> wide.</summary>
    public Tensor Forward(Tensor input, int width, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(input);
        return nn.functional.layer_norm(input, [width], Gamma(width), Beta(width), epsilon);
    }

    private Tensor Slice(Tensor tensor, int width)
    {
        if (width > MaxWidth)
        {
            throw new InvalidOperationException($"LayerNorm {GetName()} holds {MaxWidth} features, {width} were asked for.");
        }

        return tensor.narrow(0, 0, width);
    }
}
