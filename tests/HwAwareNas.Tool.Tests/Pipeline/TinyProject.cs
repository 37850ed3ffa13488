using System.Globalization;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>
/// A throw-away project folder with a tiny hwnas.yaml (narrow small-preset MobileNetV3, a few hundred Fashion-MNIST
/// images, 20 timed runs; no drift references, since two cores shared by parallel builds drift by design and a
/// drift-triggered re-measurement would make "a second run measures nothing" depend on machine load) and, once <see cref="Train"/> ran, a super-network checkpoint from a few training steps.
/// </summary>
internal sealed class TinyProject : IDisposable
{
    /// <summary>The default super-network: a narrow small-preset MobileNetV3.</summary>
    public const string MobileNetV3 = """
        family: mobilenetv3
        checkpoint: models/supernet.ckpt
        input: [1, 28, 28]
        classes: 10
        settings:
          preset: small
          width: 0.25
          ks: [3, 5]
          e: [2, 4]
          d: [1, 2]
        """;

    /// <summary>A narrow elastic Transformer: 7×7 patches, widths 16/32, 1–2 blocks of 1–2 heads, MLP ratios 2/4.</summary>
    public const string Transformer = """
        family: transformer
        checkpoint: models/supernet.ckpt
        input: [1, 28, 28]
        classes: 10
        settings:
          preset: small
          w: [16, 32]
          d: [1, 2]
          h: [1, 2]
          r: [2, 4]
        """;

    private readonly string _supernet;

    /// <summary>A project whose configs use the <c>supernet:</c> section <paramref name="supernet"/> (default <see cref="MobileNetV3"/>).</summary>
    public TinyProject(string supernet = MobileNetV3)
    {
        _supernet = supernet;
        Folder = Path.Combine(Path.GetTempPath(), "hwnas-pipeline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        WriteConfig("hwnas.yaml", "latency_ms: 1000", "out");
    }

    public string Folder { get; }

    public string ConfigPath => Path.Combine(Folder, "hwnas.yaml");


    public string Checkpoint => Path.Combine(Folder, "models", "supernet.ckpt");

    /// <summary>The default config with <c>search.max_time</c> set to <paramref name="maxTime"/> (quoted), loaded.</summary>
    public HwAwareNas.Core.Configuration.HwNasConfig LoadWithMaxTime(string maxTime) =>
        HwAwareNas.Core.Configuration.HwNasConfigLoader.Parse(
            File.ReadAllText(ConfigPath).Replace("  strategy:", $"  max_time: \"{maxTime}\"\n  strategy:", StringComparison.Ordinal), ConfigPath);

    /// <summary>Writes a config <paramref name="name"/> beside the default one (same checkpoint, data and store); returns its path.</summary>
    public string WriteConfig(string name, string constraints, string outputDir, string strategy = "evolutionary", string objectives = "[accuracy, latency]")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            supernet:
              {Indented(_supernet)}
            {TestConfigs.FashionMnistDataset(50, 100)}
            device:
              {Indented(DeviceKeys("test-cpu", intraOpThreads: 1))}
            objectives: {objectives}
            constraints:
              {constraints}
            search:
              strategy: {strategy}
              population: 6
              validations: 12
              inner_generations: 5
              warm_start: none
              predictors:
                latency: ridge
                accuracy: ridge
              seed: 3
            output:
              dir: {outputDir}
              select: max-accuracy
            """));
        return path;
    }

    /// <summary>Writes the device profile devices/<paramref name="name"/>.yaml: the default device with its own name and threads.</summary>
    public void WriteDeviceProfile(string name, int intraOpThreads)
    {
        Directory.CreateDirectory(Path.Combine(Folder, "devices"));
        File.WriteAllText(Path.Combine(Folder, "devices", name + ".yaml"), DeviceKeys(name, intraOpThreads));
    }

    // The device keys every config and profile of the project measures with (see the class comment).
    private static string DeviceKeys(string name, int intraOpThreads) => string.Create(CultureInfo.InvariantCulture, $"""
        name: {name}
        provider: cpu
        intra_op_threads: {intraOpThreads}
        inter_op_threads: 1
        batch: 1
        measure:
          warmup: 2
          runs: 20
          trim: 0.2
          reference_models: 0
          reference_every: 50
          max_variance: 0.5
        """);

    private static string Indented(string text) => text.Replace("\n", "\n  ", StringComparison.Ordinal);

    /// <summary>Trains the super-network for a few steps through <c>hwnas train</c>, writing the checkpoint.</summary>
    public CliResult Train() => Cli.Run(
        "train", "--config", ConfigPath, "--epochs", "1", "--train-images", "200", "--batch", "50", "--epoch-val-images", "50",
        "--random-subnets", "0", "--no-flip", "--threads", "1", "--seed", "1");

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
