namespace HwAwareNas.Core.Configuration;

/// <summary>The elastic super-network family (<c>supernet.family</c>).</summary>
public enum SupernetFamily
{
    /// <summary>Once-for-All style MobileNetV3: elastic depth, kernel and expand ratio.</summary>
    MobileNetV3,

    /// <summary>Once-for-All style ResNet: elastic depth, expand ratio and width multiplier.</summary>
    ResNet,

    /// <summary>ViT-style Transformer encoder: elastic depth, embedding width, heads and MLP ratio (AutoFormer's dimensions).</summary>
    Transformer,
}

/// <summary>How the dataset is stored on disk (<c>dataset.format</c>).</summary>
public enum DatasetFormat
{
    /// <summary>IDX files as used by MNIST/Fashion-MNIST, optionally gzip-compressed.</summary>
    Idx,

    /// <summary>One sub-folder of images per class.</summary>
    Folder,

    /// <summary>NumPy <c>.npy</c> arrays of images and labels.</summary>
    Npy,
}

/// <summary>The ONNX Runtime execution provider latency is measured on (<c>device.provider</c>).</summary>
public enum ExecutionProvider
{
    /// <summary>The default CPU provider.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA.</summary>
    Cuda,

    /// <summary>NVIDIA TensorRT.</summary>
    TensorRT,

    /// <summary>Intel OpenVINO.</summary>
    OpenVino,

    /// <summary>Apple Core ML.</summary>
    CoreML,

    /// <summary>DirectML on Windows.</summary>
    DirectML,
}

/// <summary>ONNX Runtime graph optimisation level used when measuring (<c>device.graph_optimization</c>).</summary>
public enum GraphOptimization
{
    /// <summary>No graph optimisation.</summary>
    Disabled,

    /// <summary>Semantics-preserving node eliminations and constant folding.</summary>
    Basic,

    /// <summary>Basic plus complex node fusions.</summary>
    Extended,

    /// <summary>Every optimisation including layout changes.</summary>
    All,
}

/// <summary>Numeric precision of the measured and exported model (<c>device.precision</c>).</summary>
public enum Precision
{
    /// <summary>32-bit floating point; the only precision supported so far.</summary>
    Fp32,
}

/// <summary>A quantity the search optimises (<c>objectives</c>).</summary>
public enum ObjectiveKind
{
    /// <summary>Top-1 validation accuracy (maximised).</summary>
    Accuracy,

    /// <summary>Measured or predicted latency on the device (minimised).</summary>
    Latency,

    /// <summary>Number of parameters (minimised).</summary>
    Params,

    /// <summary>Multiply-accumulate operations per image (minimised).</summary>
    Macs,

    /// <summary>Model file size (minimised).</summary>
    Size,
}

/// <summary>How sub-networks are searched (<c>search.strategy</c>).</summary>
public enum SearchStrategy
{
    /// <summary>Random sampling, every candidate measured.</summary>
    Random,

    /// <summary>NSGA-II, every candidate measured.</summary>
    Evolutionary,

    /// <summary>Predictors trained on sampled measurements, then NSGA-II on the predictors.</summary>
    Full,

    /// <summary>NSGA-II seeded with the best population of an earlier search.</summary>
    WarmStart,

    /// <summary>ConcurrentNAS: measure, retrain predictors, search the predictors, repeat.</summary>
    Concurrent,
}

/// <summary>How concurrent search chooses the sub-networks it measures each round (<c>search.acquisition</c>).</summary>
public enum SearchAcquisition
{
    /// <summary>Expected hypervolume improvement over the measured front, from the predictors' means and uncertainty.</summary>
    Ehvi,

    /// <summary>DyNAS-T's rule: the final population of the NSGA-II run on the predictors.</summary>
    Population,
}

/// <summary>A predictor family (<c>search.predictors.*</c>).</summary>
public enum PredictorKind
{
    /// <summary>Chosen by the number of samples available (ridge for few, MLP for many).</summary>
    Auto,

    /// <summary>Ridge regression.</summary>
    Ridge,

    /// <summary>Small multi-layer perceptron.</summary>
    Mlp,

    /// <summary>Gradient-boosted decision trees.</summary>
    Gbdt,

    /// <summary>Per-block lookup table (the weakest; kept for comparison).</summary>
    Lut,

    /// <summary>Ridge regression with gradient-boosted trees on its residuals (the interactions between genes).</summary>
    RidgeGbdt,
}

/// <summary>
/// Which statistic of a measurement's timed runs is the latency that searches, predictors and constraints use
/// (<c>device.measure.statistic</c>). Every statistic is stored, so changing it needs no new measurement.
/// </summary>
public enum LatencyStatistic
{
    /// <summary>Mean after dropping the fastest and slowest trim fraction (ESM's protocol).</summary>
    TrimmedMean,

    /// <summary>The middle run.</summary>
    Median,

    /// <summary>The 10th percentile: the device's speed without most interference, stable on shared machines.</summary>
    P10,

    /// <summary>The fastest run.</summary>
    Min,
}

/// <summary>Which sub-network of the final front is exported (<c>output.select</c>).</summary>
public enum SelectionRule
{
    /// <summary>The most accurate one that meets the constraints.</summary>
    MaxAccuracy,

    /// <summary>The fastest one that meets the constraints.</summary>
    MinLatency,

    /// <summary>The knee of the accuracy/latency front.</summary>
    Knee,
}

/// <summary>Where the initial population comes from (<c>search.warm_start</c>).</summary>
public enum WarmStartMode
{
    /// <summary>The best population of the latest earlier search in the results store, if any.</summary>
    Auto,

    /// <summary>A fresh random population.</summary>
    None,

    /// <summary>The population stored in the file <see cref="SearchOptions.WarmStartPath"/> names.</summary>
    FromFile,
}

/// <summary>How <c>hwnas train</c> trains the super-network (<c>training.method</c>).</summary>
public enum TrainingMethod
{
    /// <summary>The sandwich rule from the first step: largest, smallest and random sub-networks of the whole space.</summary>
    Sandwich,

    /// <summary>
    /// Once-for-All's progressive shrinking: the largest sub-network first, then kernel sizes, depths and widths are
    /// released one dimension per phase.
    /// </summary>
    Progressive,
}

/// <summary>The optimiser of super-network training (<c>training.optimizer</c>).</summary>
public enum TrainingOptimizer
{
    /// <summary>SGD with Nesterov momentum.</summary>
    Sgd,

    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW,
}

/// <summary>The loss smaller sub-networks learn the largest one's outputs with (<c>training.distillation</c>).</summary>
public enum DistillationKind
{
    /// <summary>Cross-entropy against the largest sub-network's softmax (<c>soft-ce</c>).</summary>
    SoftCe,

    /// <summary>Kullback–Leibler divergence from the largest sub-network's softmax (<c>kl</c>).</summary>
    Kl,
}
