using HwAwareNas.Core.Families;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>A linear layer allocated for the largest input width; a sub-network uses the leading input features.</summary>
internal sealed class ElasticLinear : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Allocates the weights for the largest use of the slot, initialised like PyTorch's Linear.</summary>
    public ElasticLinear(string name, LinearOp largest)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(largest);
        MaxInFeatures = largest.InFeatures;
        MaxOutFeatures = largest.OutFeatures;
        var bound = 1.0 / Math.Sqrt(MaxInFeatures);
        weight = new Parameter(empty(MaxOutFeatures, MaxInFeatures).uniform_(-bound, bound));
        if (largest.Bias)
        {
            bias = new Parameter(empty(MaxOutFeatures).uniform_(-bound, bound));
        }

        RegisterComponents();
    }

    /// <summary>Input features of the stored weight.</summary>
    public int MaxInFeatures { get; }

    /// <summary>Output features of the stored weight.</summary>
    public int MaxOutFeatures { get; }

    /// <summary>The full stored weight [out, in].</summary>
    public Parameter Weight => weight;

    /// <summary>The weight slice <paramref name="op"/> uses (a view).</summary>
    public Tensor ActiveWeight(LinearOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (op.InFeatures > MaxInFeatures || op.OutFeatures > MaxOutFeatures)
        {
            throw new InvalidOperationException($"Linear {op.Name} ({op.Describe()}) exceeds the stored weight.");
        }

        return weight.narrow(0, 0, op.OutFeatures).narrow(1, 0, op.InFeatures);
    }

    /// <summary>The bias slice <paramref name="op"/> uses, or null.</summary>
    public Tensor? ActiveBias(LinearOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Bias ? bias?.narrow(0, 0, op.OutFeatures) : null;
    }

    /// <summary>Applies the layer as <paramref name="op"/> describes it.</summary>
    public Tensor Forward(Tensor input, LinearOp op) => nn.functional.linear(input, ActiveWeight(op), ActiveBias(op));
}
