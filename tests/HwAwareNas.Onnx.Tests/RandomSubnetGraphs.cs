using HwAwareNas.Core.Networks;

namespace HwAwareNas.Onnx.Tests;

/// <summary>Hand-built sub-network graphs with seeded random weights and non-trivial BatchNorm statistics.</summary>
internal sealed class RandomSubnetGraphs(int seed)
{
    private readonly Random random = new(seed);

    /// <summary>
    /// A graph that uses every node type: conv+BN+hardswish stem, max pool, depthwise conv+BN+relu, an SE block
    /// (GAP → conv → relu → conv → hardsigmoid → mul), pointwise conv+BN with a residual add, a BatchNorm after an
    /// add (not foldable), a conv read twice (its BN not foldable), average pool with ceil mode, GAP, flatten, linear.
    /// </summary>
    public SubnetGraph EveryNodeType(int channels = 3, int size = 13, int classes = 10)
    {
        List<SubnetNode> nodes =
        [
            Conv("stem", "x", channels, 8, kernel: 3, stride: 1, padding: 1, groups: 1, bias: false),
            BatchNorm("stem_bn", "stem", 8),
            new ActivationNode("stem_act", "stem_bn", ActivationKind.HardSwish),
            new MaxPoolNode("pool", "stem_act", Kernel: 3, Stride: 2, Padding: 1),
            Conv("dw", "pool", 8, 8, kernel: 5, stride: 1, padding: 2, groups: 8, bias: false),
            BatchNorm("dw_bn", "dw", 8),
            new ActivationNode("dw_act", "dw_bn", ActivationKind.Relu),
            new GlobalAveragePoolNode("se_pool", "dw_act"),
            Conv("se_reduce", "se_pool", 8, 4, kernel: 1, stride: 1, padding: 0, groups: 1, bias: true),
            new ActivationNode("se_relu", "se_reduce", ActivationKind.Relu),
            Conv("se_expand", "se_relu", 4, 8, kernel: 1, stride: 1, padding: 0, groups: 1, bias: true),
            new ActivationNode("se_gate", "se_expand", ActivationKind.HardSigmoid),
            new MulNode("se_mul", "dw_act", "se_gate"),
            Conv("pw", "se_mul", 8, 8, kernel: 1, stride: 1, padding: 0, groups: 1, bias: true),
            BatchNorm("pw_bn", "pw", 8),
            new AddNode("residual", "pw_bn", "pool"),
            BatchNorm("post_bn", "residual", 8),
            Conv("shared", "post_bn", 8, 12, kernel: 3, stride: 2, padding: 1, groups: 2, bias: false),
            BatchNorm("shared_bn", "shared", 12),
            new AddNode("shared_sum", "shared_bn", "shared"),
            new AveragePoolNode("avg", "shared_sum", Kernel: 3, Stride: 2, Padding: 1, CeilMode: true),
            new GlobalAveragePoolNode("head_pool", "avg"),
            new FlattenNode("flat", "head_pool"),
            Linear("classifier", "flat", 12, classes, bias: true),
        ];
        return new SubnetGraph("x", [channels, size, size], nodes, "classifier");
    }

    /// <summary>Conv stem, average pool without ceil mode, then flatten of a spatial map into a bias-free linear.</summary>
    public SubnetGraph SpatialFlatten(int classes = 5)
    {
        List<SubnetNode> nodes =
        [
            Conv("c1", "image", 1, 6, kernel: 3, stride: 2, padding: 1, groups: 1, bias: true),
            BatchNorm("c1_bn", "c1", 6),
            new ActivationNode("c1_act", "c1_bn", ActivationKind.HardSwish),
            new AveragePoolNode("avg", "c1_act", Kernel: 2, Stride: 2, Padding: 0, CeilMode: false),
            new FlattenNode("flat", "avg"),
            Linear("fc", "flat", 6 * 4 * 4, classes, bias: false),
        ];
        return new SubnetGraph("image", [1, 16, 16], nodes, "fc");
    }

    /// <summary>A batch of inputs for <paramref name="graph"/>, uniform in [-1, 1].</summary>
    public float[] Input(SubnetGraph graph, int batch) =>
        Uniform(batch * graph.InputShape.Aggregate(1, (a, b) => a * b), 1.0);

    public ConvNode Conv(string name, string input, int inChannels, int outChannels, int kernel, int stride, int padding, int groups, bool bias)
    {
        var fanIn = inChannels / groups * kernel * kernel;
        var bound = Math.Sqrt(3.0 / fanIn);
        return new ConvNode(
            name,
            input,
            new TensorData([outChannels, inChannels / groups, kernel, kernel], Uniform(outChannels * fanIn, bound)),
            bias ? new TensorData([outChannels], Uniform(outChannels, 0.5)) : null,
            stride,
            padding,
            groups);
    }

    public BatchNormNode BatchNorm(string name, string input, int channels) =>
        new(
            name,
            input,
            new TensorData([channels], Shifted(channels, 1.0, 0.5)),
            new TensorData([channels], Uniform(channels, 0.5)),
            new TensorData([channels], Uniform(channels, 0.5)),
            new TensorData([channels], Shifted(channels, 1.25, 0.75)),
            1e-5);

    public LinearNode Linear(string name, string input, int inFeatures, int outFeatures, bool bias) =>
        new(
            name,
            input,
            new TensorData([outFeatures, inFeatures], Uniform(outFeatures * inFeatures, Math.Sqrt(3.0 / inFeatures))),
            bias ? new TensorData([outFeatures], Uniform(outFeatures, 0.5)) : null);

    private float[] Uniform(int count, double bound) => Shifted(count, 0, bound);

    private float[] Shifted(int count, double centre, double bound)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(centre + ((random.NextDouble() * 2) - 1) * bound);
        }

        return values;
    }
}
