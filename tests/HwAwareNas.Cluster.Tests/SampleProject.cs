using System.Globalization;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// A throw-away project on the Fashion-MNIST sample's trained super-network (samples/fashion-mnist/models/supernet.ckpt)
/// whose device profiles (devices/NAME.yaml) measure here or on agents; its results store is .hwnas/results.db.
/// </summary>
internal sealed class SampleProject : IDisposable
{
    private const string Settings = "preset=small,width=0.5";
    private readonly TempFolder _folder = new();

    /// <summary>A project whose hwnas.yaml ends with <paramref name="extraYaml"/> (top-level sections, e.g. <c>validation:</c>).</summary>
    public SampleProject(string extraYaml)
        : this()
    {
        File.AppendAllText(ConfigPath, "\n" + extraYaml + "\n");
    }

    public SampleProject()
    {
        ConfigPath = _folder.Write("hwnas.yaml", $"""
            supernet:
              family: mobilenetv3
              checkpoint: {Path.Combine(RepositoryRoot, "samples", "fashion-mnist", "models", "supernet.ckpt")}
              input: [1, 28, 28]
              classes: 10
              settings:
                preset: small
                width: 0.5
            {TestConfigs.FashionMnistDataset(50, 100)}
            device:
              name: local-cpu
              provider: cpu
              threads: 1
              batch: 1
            objectives: [accuracy, latency]
            constraints:
              latency_ms: 1000
            search:
              seed: 1
            """);
    }

    public string Folder => _folder.Path;

    public string ConfigPath { get; }

    public string StorePath => ResultsStore.DefaultPath(ConfigPath);

    /// <summary>Writes <c>devices/<paramref name="name"/>.yaml</c>: one thread, batch 1, the given protocol, and a remote section if any.</summary>
    public void WriteDevice(string name, string? remoteYaml, int warmup = 3, int runs = 30, int rounds = 1)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            name: {name}
            provider: cpu
            threads: 1
            batch: 1
            measure:
              warmup: {warmup}
              runs: {runs}
              rounds: {rounds}
              reference_models: 0
              statistic: p10

            """);
        _folder.Write(Path.Combine("devices", name + ".yaml"), text + (remoteYaml ?? string.Empty) + "\n");
    }

    /// <summary>
    /// Writes <paramref name="count"/> distinct sub-networks from the smallest to the largest (each takes more genes of
    /// the largest; variant 0 exactly so, in order of growing latency), shifted by <paramref name="variant"/> so that different variants give different genomes; returns the file.
    /// </summary>
    public string WriteGenomes(string file, int count, int variant = 0)
    {
        var family = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(Settings)));
        var smallest = family.Smallest();
        var largest = family.Largest();
        var random = new Random(1000 + variant);
        var genomes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; genomes.Count < count; k++)
        {
            // Interpolate from smallest to largest; variants (and repeats after a duplicate) also set a few random genes.
            // Genes are taken in a stride over kernel sizes, expansions and depths alike, so latency grows evenly.
            var step = genomes.Count;
            var genome = smallest;
            var order = Enumerable.Range(0, smallest.Length).OrderBy(i => (i * 7) % smallest.Length).ToList();
            foreach (var i in order.Take(smallest.Length * step / Math.Max(1, count - 1)))
            {
                genome = genome.With(i, largest[i]);
            }

            var sampled = family.Sample(random);
            for (var j = 0; j < (variant == 0 ? 0 : 2) + (k / count); j++)
            {
                var index = random.Next(smallest.Length);
                genome = genome.With(index, sampled[index]);
            }

            genome = family.Canonicalize(genome);
            genomes.TryAdd(genome.Key, family.ToOfaNotation(genome));
        }

        var path = Path.Combine(Folder, file);
        File.WriteAllLines(path, genomes.Values);
        return path;
    }

    /// <summary><c>hwnas profile</c> of <paramref name="genomes"/> on device profile <paramref name="device"/>, as JSON.</summary>
    public CliResult Profile(string device, string genomes) =>
        Cli.Run("profile", "--config", ConfigPath, "--device", device, "--genomes", genomes, "--json");

    /// <summary>The measurements the store holds for <paramref name="fingerprintKey"/>.</summary>
    public IReadOnlyList<MeasurementRecord> Stored(string fingerprintKey)
    {
        using var store = ResultsStore.Open(StorePath);
        return store.ListMeasurements(fingerprintKey);
    }

    public void Dispose() => _folder.Dispose();

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HwAwareNas.Tool.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("The repository root is not above " + AppContext.BaseDirectory);
        }
    }
}
