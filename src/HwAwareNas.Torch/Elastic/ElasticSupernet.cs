using HwAwareNas.Core.Families;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Elastic;

/// <summary>
/// The weight-sharing super-network of an elastic family. Every weighted layer of the family's largest sub-network
/// gets one elastic layer allocated at its largest shape; <see cref="SetActive"/> picks a sub-network, and
/// <c>forward</c> runs exactly that sub-network's layer plan on the slices its layers use.
/// </summary>
public sealed class ElasticSupernet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleDict<nn.Module> layers;

    /// <summary>
    /// Builds the super-network of <paramref name="family"/>, active on its largest sub-network. With
    /// <paramref name="kernelTransforms"/>, elastic depthwise convolutions carry OFA's kernel-transform matrices (as
    /// imported OFA networks do; see <see cref="ElasticConv2d"/>); without, smaller kernels are plain centre crops.
    /// </summary>
    public ElasticSupernet(IElasticFamily family, bool kernelTransforms = false)
        : base(nameof(ElasticSupernet))
    {
        ArgumentNullException.ThrowIfNull(family);
        Family = family;
        KernelTransforms = kernelTransforms;
        ActiveGenome = family.Largest();
        ActivePlan = family.Plan(ActiveGenome);
        layers = new ModuleDict<nn.Module>();
        foreach (var op in ActivePlan.Ops)
        {
            switch (op)
            {
                case ConvOp conv:
                    var transformSizes = kernelTransforms ? family.ElasticKernelSizes(conv.Slot) : null;
                    layers.Add((ModuleName(conv.Slot), new ElasticConv2d(ModuleName(conv.Slot), conv, transformSizes)));
                    break;
                case BatchNormOp bn:
                    layers.Add((ModuleName(bn.Slot), new ElasticBatchNorm2d(ModuleName(bn.Slot), bn.Channels)));
                    break;
                case LinearOp linear:
                    layers.Add((ModuleName(linear.Slot), new ElasticLinear(ModuleName(linear.Slot), linear)));
                    break;
                case LayerNormOp norm:
                    layers.Add((ModuleName(norm.Slot), new ElasticLayerNorm(ModuleName(norm.Slot), norm.Width)));
                    break;
                case ClassTokenOp token:
                    layers.Add((ModuleName(token.Slot), new ElasticEmbedding(ModuleName(token.Slot), 1, token.Width)));
                    break;
                case PositionEmbeddingOp embedding:
                    layers.Add((ModuleName(embedding.Slot), new ElasticEmbedding(ModuleName(embedding.Slot), embedding.Tokens, embedding.Width)));
                    break;
            }
        }

        RegisterComponents();
    }

    /// <summary>The family (and settings) this super-network implements.</summary>
    public IElasticFamily Family { get; }

    /// <summary>Whether elastic depthwise convolutions use OFA's learned kernel transforms instead of centre crops.</summary>
    public bool KernelTransforms { get; }

    /// <summary>The active sub-network's genome.</summary>
    public Genome ActiveGenome { get; private set; }

    /// <summary>The active sub-network's layer plan.</summary>
    public SubnetPlan ActivePlan { get; private set; }

    /// <summary>BatchNorm momentum for running statistics in training mode (OFA: 0.1).</summary>
    public double BatchNormMomentum { get; set; } = BatchNormOp.Momentum;

    /// <summary>
    /// Dropout probability before the classifier (the linear layer producing the logits) in training mode (OFA trains its
    /// MobileNetV3 with 0.1, ResNets with 0).
    /// </summary>
    public double ClassifierDropout { get; set; }

    /// <summary>Makes <paramref name="genome"/> the active sub-network; throws <see cref="Core.Diagnostics.HwNasException"/> when invalid.</summary>
    public void SetActive(Genome genome)
    {
        ActivePlan = Family.Plan(genome);
        ActiveGenome = genome;
    }

    /// <summary>
    /// Whether the active sub-network has BatchNorm layers, whose running statistics need re-calibrating per sub-network
    /// (a Transformer's LayerNorms keep none).
    /// </summary>
    public bool HasBatchNorm => ActivePlan.Ops.Any(op => op is BatchNormOp);

    /// <summary>Resets every BatchNorm's running statistics (before re-calibrating them for a sub-network).</summary>
    public void ResetRunningStatistics()
    {
        foreach (var bn in layers.values().OfType<ElasticBatchNorm2d>())
        {
            bn.ResetRunningStatistics();
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [SubnetPlan.InputName] = input };
        foreach (var op in ActivePlan.Ops)
        {
            values[op.Name] = Apply(op, values);
        }

        return values[ActivePlan.OutputName].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Copies the active sub-network out as a plain graph: weights as float arrays (leading slices, kernels as the
    /// forward uses them), BatchNorm unfused with its running statistics, nodes in the plan's topological order.
    /// </summary>
    public SubnetGraph ExtractActive()
    {
        var plan = ActivePlan;
        var nodes = new List<SubnetNode>(plan.Ops.Count);

        // Transformed kernels are new tensors; the scope frees them once copied out.
        using (NewDisposeScope())
        using (no_grad())
        {
            foreach (var op in plan.Ops)
            {
                nodes.Add(ToNode(op));
            }
        }

        return new SubnetGraph(
            SubnetPlan.InputName, [plan.Input.Channels, plan.Input.Height, plan.Input.Width], nodes, plan.OutputName);
    }

    /// <summary>
    /// The elastic layer (<see cref="ElasticConv2d"/>, <see cref="ElasticBatchNorm2d"/>, <see cref="ElasticLinear"/>,
    /// <see cref="ElasticLayerNorm"/> or <see cref="ElasticEmbedding"/>) of <paramref name="slot"/>.
    /// </summary>
    internal nn.Module LayerOf(string slot) => layers[ModuleName(slot)];

    // TorchSharp module names cannot contain '.', which OFA's slot names use.
    private static string ModuleName(string slot) => slot.Replace('.', '_');

    private static TensorData ToData(Tensor tensor)
    {
        using var contiguous = tensor.detach().cpu().contiguous();
        return new TensorData([.. contiguous.shape.Select(d => (int)d)], contiguous.data<float>().ToArray());
    }

    private T Layer<T>(string slot)
        where T : nn.Module => (T)layers[ModuleName(slot)];

    private Tensor Apply(PlanOp op, Dictionary<string, Tensor> values)
    {
        var x = values[op.Inputs[0]];
        return op switch
        {
            ConvOp conv => Layer<ElasticConv2d>(conv.Slot).Forward(x, conv),
            BatchNormOp bn => Layer<ElasticBatchNorm2d>(bn.Slot).Forward(x, bn.Channels, BatchNormMomentum, BatchNormOp.Epsilon),
            ActivationOp act => act.Kind switch
            {
                ActivationKind.Relu => nn.functional.relu(x),
                ActivationKind.HardSwish => nn.functional.hardswish(x),
                ActivationKind.Gelu => nn.functional.gelu(x),
                _ => nn.functional.hardsigmoid(x),
            },
            GlobalAveragePoolOp => x.mean([2, 3], keepdim: true),
            MaxPoolOp pool => nn.functional.max_pool2d(
                x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride], [pool.Padding, pool.Padding]),
            AveragePoolOp pool => nn.functional.avg_pool2d(
                x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride], [pool.Padding, pool.Padding], ceil_mode: pool.CeilMode, count_include_pad: false),
            AddOp => x + values[op.Inputs[1]],
            MulOp => x * values[op.Inputs[1]],
            FlattenOp => x.flatten(1),
            LinearOp linear => Layer<ElasticLinear>(linear.Slot).Forward(
                ClassifierDropout > 0 && linear.Name == ActivePlan.OutputName ? nn.functional.dropout(x, ClassifierDropout, training) : x, linear),
            TokensOp => x.flatten(2).transpose(1, 2),
            ClassTokenOp token => cat(
                [Layer<ElasticEmbedding>(token.Slot).Active(token.Width).unsqueeze(0).expand(x.shape[0], 1, token.Width), x], 1),
            PositionEmbeddingOp embedding => x + Layer<ElasticEmbedding>(embedding.Slot).Active(embedding.Width),
            LayerNormOp norm => Layer<ElasticLayerNorm>(norm.Slot).Forward(x, norm.Width, LayerNormOp.Epsilon),
            AttentionOp attention => Attend(x, values[op.Inputs[1]], values[op.Inputs[2]], attention.Heads, attention.HeadWidth),
            TokenPoolOp pool => pool.ClassToken ? x.select(1, 0) : x.mean([1]),
            _ => throw new NotSupportedException($"Plan operation {op.GetType().Name} is not supported."),
        };
    }

    // Softmax(Q·Kᵀ/√d)·V per head: [N,T,H·d] → [N,H,T,d] and back.
    private static Tensor Attend(Tensor query, Tensor key, Tensor value, int heads, int headWidth)
    {
        var (batch, tokens) = (query.shape[0], query.shape[1]);
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headWidth).transpose(1, 2);
        var weights = Split(query).matmul(Split(key).transpose(2, 3)).mul(1.0 / Math.Sqrt(headWidth)).softmax(-1);
        return weights.matmul(Split(value)).transpose(1, 2).reshape(batch, tokens, heads * headWidth);
    }

    private SubnetNode ToNode(PlanOp op)
    {
        var input = op.Inputs[0];
        switch (op)
        {
            case ConvOp conv:
                {
                    var layer = Layer<ElasticConv2d>(conv.Slot);
                    var bias = layer.ActiveBias(conv);
                    return new ConvNode(
                        conv.Name, input, ToData(layer.ActiveWeight(conv)), bias is null ? null : ToData(bias), conv.Stride, conv.Padding, conv.Groups);
                }

            case BatchNormOp bn:
                {
                    var layer = Layer<ElasticBatchNorm2d>(bn.Slot);
                    return new BatchNormNode(
                        bn.Name,
                        input,
                        ToData(layer.Gamma(bn.Channels)),
                        ToData(layer.Beta(bn.Channels)),
                        ToData(layer.RunningMean(bn.Channels)),
                        ToData(layer.RunningVariance(bn.Channels)),
                        BatchNormOp.Epsilon);
                }

            case LinearOp linear:
                {
                    var layer = Layer<ElasticLinear>(linear.Slot);
                    var bias = layer.ActiveBias(linear);
                    return new LinearNode(linear.Name, input, ToData(layer.ActiveWeight(linear)), bias is null ? null : ToData(bias));
                }

            case ActivationOp act:
                return new ActivationNode(act.Name, input, act.Kind);
            case GlobalAveragePoolOp:
                return new GlobalAveragePoolNode(op.Name, input);
            case MaxPoolOp pool:
                return new MaxPoolNode(pool.Name, input, pool.Kernel, pool.Stride, pool.Padding);
            case AveragePoolOp pool:
                return new AveragePoolNode(pool.Name, input, pool.Kernel, pool.Stride, pool.Padding, pool.CeilMode);
            case AddOp add:
                return new AddNode(add.Name, add.Inputs[0], add.Inputs[1]);
            case MulOp mul:
                return new MulNode(mul.Name, mul.Inputs[0], mul.Inputs[1]);
            case FlattenOp:
                return new FlattenNode(op.Name, input);
            case TokensOp:
                return new TokensNode(op.Name, input);
            case ClassTokenOp token:
                return new ClassTokenNode(token.Name, input, ToData(Layer<ElasticEmbedding>(token.Slot).Active(token.Width).reshape(token.Width)));
            case PositionEmbeddingOp embedding:
                return new PositionEmbeddingNode(embedding.Name, input, ToData(Layer<ElasticEmbedding>(embedding.Slot).Active(embedding.Width)));
            case LayerNormOp norm:
                {
                    var layer = Layer<ElasticLayerNorm>(norm.Slot);
                    return new LayerNormNode(norm.Name, input, ToData(layer.Gamma(norm.Width)), ToData(layer.Beta(norm.Width)), LayerNormOp.Epsilon);
                }

            case AttentionOp attention:
                return new AttentionNode(attention.Name, attention.Inputs[0], attention.Inputs[1], attention.Inputs[2], attention.Heads);
            case TokenPoolOp pool:
                return new TokenPoolNode(pool.Name, input, pool.ClassToken);
            default:
                throw new NotSupportedException($"Plan operation {op.GetType().Name} is not supported.");
        }
    }
}
