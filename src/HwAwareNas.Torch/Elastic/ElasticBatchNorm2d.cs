using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// BatchNorm allocated for the largest channel count; a sub-network with fewer channels uses the leading channels'
/// affine parameters and running statistics (training updates those leading statistics in place, as in OFA).
/// </summary>
internal sealed class ElasticBatchNorm2d : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;

    /// <summary>Allocates parameters (γ = 1, β = 0) and statistics (mean 0, variance 1) for <paramref name="channels"/>.</summary>
    public ElasticBatchNorm2d(string name, int channels)
        : base(name)
    {
        MaxChannels = channels;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        running_mean = zeros(channels);
        running_var = ones(channels);
        RegisterComponents();
    }

    /// <summary>Channels the parameters are allocated for.</summary>
    public int MaxChannels { get; }

    /// <summary>Scale γ for the leading <paramref name="channels"/> (a view).</summary>
    public Tensor Gamma(int channels) => weight.narrow(0, 0, channels);

    /// <summary>Shift β for the leading <paramref name="channels"/> (a view).</summary>
    public Tensor Beta(int channels) => bias.narrow(0, 0, channels);

    /// <summary>Running mean of the leading <paramref name="channels"/> (a view).</summary>
    public Tensor RunningMean(int channels) => running_mean.narrow(0, 0, channels);

    /// <summary>Running variance of the leading <paramref name="channels"/> (a view).</summary>
    public Tensor RunningVariance(int channels) => running_var.narrow(0, 0, channels);

    /// <summary>Resets the running statistics to mean 0 and variance 1 (before re-calibrating them).</summary>
    public void ResetRunningStatistics()
    {
        using var noGrad = no_grad();
        running_mean.zero_();
        running_var.fill_(1);
    }

    /// <summary>Normalises the leading channels of <paramref name="input"/>; in training mode with batch statistics.</summary>
    public Tensor Forward(Tensor input, int channels, double momentum, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (channels > MaxChannels)
        {
            throw new InvalidOperationException($"BatchNorm {GetName()} holds {MaxChannels} channels, {channels} were asked for.");
        }

        return nn.functional.batch_norm(
            input, RunningMean(channels), RunningVariance(channels), Gamma(channels), Beta(channels), training, momentum, epsilon);
    }
}
