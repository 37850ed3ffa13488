using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// A learned table [rows, width] allocated for the largest width (a Transformer's class token: one row; its position
/// embedding: one row per token); a sub-network of width w uses the leading w columns. Initialised from a normal
/// distribution with standard deviation 0.02 truncated at ±2σ, as ViT does.
/// </summary>
internal sealed class ElasticEmbedding : nn.Module
{
    private const double InitialStd = 0.02;

    private readonly Parameter weight;

    /// <summary>Allocates the table for <paramref name="rows"/> rows of <paramref name="width"/> features.</summary>
    public ElasticEmbedding(string name, int rows, int width)
        : base(name)
    {
        Rows = rows;
        MaxWidth = width;
        using (no_grad())
        {
            weight = new Parameter(nn.init.trunc_normal_(empty(rows, width), 0, InitialStd, -2 * InitialStd, 2 * InitialStd));
        }

        RegisterComponents();
    }

    /// <summary>Rows of the table.</summary>
    public int Rows { get; }

    /// <summary>Features the table is allocated for.</summary>
    public int MaxWidth { get; }

    /// <summary>The leading <paramref name="width"/> columns [Rows, width] (a view).</summary>
    public Tensor Active(int width)
    {
        if (width > MaxWidth)
        {
            throw new InvalidOperationException($"Embedding {GetName()} holds {MaxWidth} features, {width} were asked for.");
        }

        return weight.narrow(1, 0, width);
    }
}
