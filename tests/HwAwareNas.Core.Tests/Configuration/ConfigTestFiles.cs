namespace HwAwareNas.Core.Tests.Configuration;

/// <summary>Files the configuration tests share.</summary>
internal static class ConfigTestFiles
{
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
