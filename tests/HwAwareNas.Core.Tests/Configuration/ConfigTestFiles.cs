namespace HwAwareNas.Core.Tests.Configuration;

/// <summary>A temporary folder for configuration files, deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hwnas-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Files the configuration tests share.</summary>
internal static class ConfigTestFiles
{
    /// <summary>The smallest valid configuration: only the required keys.</summary>
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

    /// <summary>The repository's hwnas.yaml.example, found by walking up from the test's output folder.</summary>
    public static string ExamplePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "hwnas.yaml.example");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("hwnas.yaml.example not found above " + AppContext.BaseDirectory);
        }
    }
}
