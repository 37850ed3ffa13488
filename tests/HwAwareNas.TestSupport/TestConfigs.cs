namespace HwAwareNas.TestSupport;

/// <summary>hwnas.yaml texts the tests of several projects start from.</summary>
public static class TestConfigs
{
    /// <summary>The smallest valid configuration: only the required keys (the files it names need not exist).</summary>
    public const string Minimal = """
        supernet:
          family: mobilenetv3
          checkpoint: models/supernet.ckpt
          input: [1, 28, 28]
          classes: 10
        dataset:
          train: data/train.gz
          train_labels: data/train-labels.gz
          val: data/val.gz
          val_labels: data/val-labels.gz
        """;
}
