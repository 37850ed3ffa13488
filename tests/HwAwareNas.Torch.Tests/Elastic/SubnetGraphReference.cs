using HwAwareNas.Core.Networks;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Elastic;

/// <summary>
/// Evaluates an extracted <see cref="SubnetGraph"/> node by node with plain TorchSharp functions and only the graph's
/// own weights, to show the extraction is faithful to the super-network module.
/// </summary>
internal static class SubnetGraphReference
{
    public static Tensor Evaluate(SubnetGraph graph, Tensor input)
    {
        var values = new Dictionary<string, Tensor> { [graph.InputName] = input };
        foreach (var node in graph.Nodes)
        {
            var x = values[node.Inputs[0]];
            values[node.Output] = node switch
            {
                ConvNode c => nn.functional.conv2d(
                    x, ToTensor(c.Weight), c.Bias is null ? null : ToTensor(c.Bias), strides: [c.Stride, c.Stride],
                    padding: [c.Padding, c.Padding], groups: c.Groups),
                BatchNormNode b => ((x - ToTensor(b.RunningMean).view(1, -1, 1, 1))
                    / (ToTensor(b.RunningVar).view(1, -1, 1, 1) + b.Epsilon).sqrt()
                    * ToTensor(b.Gamma).view(1, -1, 1, 1)) + ToTensor(b.Beta).view(1, -1, 1, 1),
                ActivationNode { Kind: ActivationKind.Relu } => x.clamp_min(0),
                ActivationNode { Kind: ActivationKind.HardSwish } => x * (x + 3).clamp(0, 6) / 6,
                ActivationNode { Kind: ActivationKind.Gelu } => x * (1 + (x / Math.Sqrt(2)).erf()) / 2,
                ActivationNode => (x + 3).clamp(0, 6) / 6,
                GlobalAveragePoolNode => x.mean([2, 3], keepdim: true),
                MaxPoolNode p => nn.functional.max_pool2d(x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding]),
                AveragePoolNode p => nn.functional.avg_pool2d(
                    x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding], ceil_mode: p.CeilMode, count_include_pad: false),
                AddNode a => x + values[a.Right],
                MulNode m => x * values[m.Right],
                FlattenNode => x.flatten(1),
                LinearNode l => x.matmul(ToTensor(l.Weight).t()) + (l.Bias is null ? zeros(1) : ToTensor(l.Bias)),
                TokensNode => x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1),
                ClassTokenNode c => cat([ToTensor(c.Token).view(1, 1, -1).repeat(x.shape[0], 1, 1), x], 1),
                PositionEmbeddingNode p => x + ToTensor(p.Embedding),
                LayerNormNode n => ((x - x.mean([-1], keepdim: true)) / (x.var([-1], unbiased: false, keepdim: true) + n.Epsilon).sqrt()
                    * ToTensor(n.Gamma)) + ToTensor(n.Beta),
                AttentionNode a => Attention(x, values[a.Key], values[a.Value], a.Heads),
                TokenPoolNode { ClassToken: true } => x[.., 0, ..],
                TokenPoolNode => x.sum([1]) / x.shape[1],
                _ => throw new NotSupportedException(node.GetType().Name),
            };
        }

        return values[graph.OutputName];
    }

    public static long CountParameters(SubnetGraph graph) => graph.Nodes.Sum(node => node switch
    {
        ConvNode c => c.Weight.ElementCount + (c.Bias?.ElementCount ?? 0),
        BatchNormNode b => b.Gamma.ElementCount + b.Beta.ElementCount,
        LinearNode l => l.Weight.ElementCount + (l.Bias?.ElementCount ?? 0),
        LayerNormNode n => n.Gamma.ElementCount + n.Beta.ElementCount,
        ClassTokenNode c => c.Token.ElementCount,
        PositionEmbeddingNode p => p.Embedding.ElementCount,
        _ => 0L,
    });

    // One head at a time, as the formula reads: softmax(Q_h·K_hᵀ/√d)·V_h, heads concatenated.
    private static Tensor Attention(Tensor query, Tensor key, Tensor value, int heads)
    {
        var width = query.shape[2] / heads;
        var outputs = new List<Tensor>();
        for (var h = 0; h < heads; h++)
        {
            var q = query.narrow(2, h * width, width);
            var k = key.narrow(2, h * width, width);
            var v = value.narrow(2, h * width, width);
            var scores = q.bmm(k.transpose(1, 2)) / Math.Sqrt(width);
            var exp = (scores - scores.amax([-1], keepdim: true)).exp();
            outputs.Add((exp / exp.sum([-1], keepdim: true)).bmm(v));
        }

        return cat(outputs, 2);
    }

    private static Tensor ToTensor(TensorData data) => tensor(data.Values, [.. data.Shape.Select(d => (long)d)]);
}
