using HwAwareNas.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace HwAwareNas.Onnx.Tests;

/// <summary>
/// Runs a <see cref="SubnetGraph"/> with TorchSharp's functional ops, BatchNorm unfolded in eval mode: the
/// reference the exported ONNX model must reproduce.
/// </summary>
internal static class ReferenceInterpreter
{
    public static float[] Forward(SubnetGraph graph, float[] input, int batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [graph.InputName] = tensor(input, [batch, .. graph.InputShape.Select(d => (long)d)]),
        };
        foreach (var node in graph.Nodes)
        {
            values[node.Output] = Evaluate(node, values);
        }

        return values[graph.OutputName].contiguous().data<float>().ToArray();
    }

    private static Tensor Evaluate(SubnetNode node, Dictionary<string, Tensor> values)
    {
        var x = values[node.Inputs[0]];
        return node switch
        {
            ConvNode c => nn.functional.conv2d(
                x, Load(c.Weight), c.Bias is null ? null : Load(c.Bias),
                strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding], groups: c.Groups),
            BatchNormNode b => nn.functional.batch_norm(
                x, Load(b.RunningMean), Load(b.RunningVar), Load(b.Gamma), Load(b.Beta), training: false, eps: b.Epsilon),
            ActivationNode { Kind: ActivationKind.Relu } => nn.functional.relu(x),
            ActivationNode { Kind: ActivationKind.HardSwish } => nn.functional.hardswish(x),
            ActivationNode { Kind: ActivationKind.HardSigmoid } => nn.functional.hardsigmoid(x),
            GlobalAveragePoolNode => nn.functional.adaptive_avg_pool2d(x, [1, 1]),
            MaxPoolNode m => nn.functional.max_pool2d(x, [m.Kernel, m.Kernel], [m.Stride, m.Stride], [m.Padding, m.Padding]),
            AveragePoolNode a => nn.functional.avg_pool2d(
                x, [a.Kernel, a.Kernel], [a.Stride, a.Stride], [a.Padding, a.Padding], ceil_mode: a.CeilMode, count_include_pad: false),
            AddNode add => values[add.Left] + values[add.Right],
            MulNode mul => values[mul.Left] * values[mul.Right],
            FlattenNode => x.flatten(1),
            LinearNode l => nn.functional.linear(x, Load(l.Weight), l.Bias is null ? null : Load(l.Bias)),
            _ => throw new NotSupportedException(node.GetType().Name),
        };
    }

    private static Tensor Load(TensorData data) => tensor(data.Values, [.. data.Shape.Select(d => (long)d)]);
}
