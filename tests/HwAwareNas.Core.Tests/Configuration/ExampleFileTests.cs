using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Families;
using YamlDotNet.RepresentationModel;

namespace HwAwareNas.Core.Tests.Configuration;

[TestClass]
public sealed class ExampleFileTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    [TestMethod]
    public void ExampleValidatesCleanly()
    {
        var result = HwNasConfigLoader.Validate(ConfigTestFiles.ExamplePath, NoEnvironment);

        Assert.IsTrue(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", result.Config!.Dataset.Train);
    }

    [TestMethod]
    public void ExampleWithItsOptInSectionsValidatesCleanly()
    {
        using var folder = new TempFolder();
        // A device list replaces the device section, so the list stays commented here.
        var path = folder.Write("hwnas.yaml", OptedIn(File.ReadAllText(ConfigTestFiles.ExamplePath), "remote"));
        var text = File.ReadAllText(path);

        // One of agent and redis: the example shows both, as alternatives.
        var result = HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", RemoveLine(text, "redis: ${HWNAS_REDIS}")), NoEnvironment);

        Assert.IsTrue(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual("pi4", result.Config!.Device.Remote!.Kind);
        Assert.AreEqual(TimeSpan.FromMinutes(2), result.Config.Device.Remote.Connection.Wait);
        Assert.AreEqual(TimeSpan.FromMinutes(10), result.Config.Device.Remote.Connection.CallTimeout);
        Assert.AreEqual(("192.168.1.30:30100", true), (result.Config.Validation!.Remote!.Connection.Agent, result.Config.Validation.Local));
        Assert.IsNull(HwNasConfigLoader.Validate(ConfigTestFiles.ExamplePath, NoEnvironment).Config!.Validation!.Remote, "the example validates on this machine");
    }

    [TestMethod]
    public void ExampleSettingsAreOnesItsFamilyReads()
    {
        // The family itself, not only the schema: a free map passes the schema whatever it holds.
        var supernet = HwNasConfigLoader.Load(ConfigTestFiles.ExamplePath, NoEnvironment).Supernet;
        var settings = supernet.Settings.Names.ToDictionary(n => n, n => string.Join('/', supernet.Settings.GetStringList(n)));

        var family = FamilyRegistry.Create(
            ConfigChoices.Format(supernet.Family),
            new FamilyOptions(new FeatureShape(supernet.Input.Channels, supernet.Input.Height, supernet.Input.Width), supernet.Classes, settings));

        Assert.AreEqual("width=0.5,widths=8/8/16/24/32/40/48/160/256,strides=2/1/2/2/1/1/1,ks=3/5/7,e=3/4/6,d=2/3/4", family.SettingsText);
        CollectionAssert.AreEquivalent(
            new[] { "preset", "width", "widths", "strides", "ks", "e", "d" }, supernet.Settings.Names.ToArray(), "the example shows every setting of its family");
    }

    [TestMethod]
    public void ExampleHoldsEveryKeyTheLoaderKnowsAndNoOther()
    {
        var inExample = ExampleKeys().Select(k => k.Path).ToHashSet();
        var known = ConfigKeys.All().Select(k => k.Path).ToHashSet();

        CollectionAssert.AreEquivalent(known.ToList(), inExample.ToList(),
            "missing from the example: " + string.Join(", ", known.Except(inExample))
            + "; unknown to the loader: " + string.Join(", ", inExample.Except(known)));
    }

    [TestMethod]
    public void EveryKeyInTheExampleIsDocumentedWithItsDefault()
    {
        var lines = OptedIn(File.ReadAllText(ConfigTestFiles.ExamplePath)).Split('\n');
        var undocumented = new List<string>();
        foreach (var (path, line) in ExampleKeys())
        {
            var comment = string.Join(" ", lines.Take(line - 1).Reverse()
                .TakeWhile(l => l.TrimStart().StartsWith('#'))
                .Reverse()
                .Select(l => l.Trim().TrimStart('#').Trim()));
            var key = ConfigKeys.Find(path)!;
            var expected = key.Required ? "Required." : $"Default: {key.DefaultDisplay}";
            // A section's default is its keys' defaults, which the comment may word freely.
            var documented = key.Kind == ConfigValueKind.Section && !key.Required
                ? comment.Contains("Default:", StringComparison.Ordinal)
                : comment.Contains(expected, StringComparison.Ordinal);
            if (!documented)
            {
                undocumented.Add($"{path} (line {line}) lacks '{expected}' in its comment");
            }

            if (key.Unit is { } unit && !comment.Contains(unit, StringComparison.Ordinal))
            {
                undocumented.Add($"{path} (line {line}) does not name its unit '{unit}'");
            }
        }

        Assert.IsEmpty(undocumented, string.Join(Environment.NewLine, undocumented));
    }

    /// <summary>Dotted path and line of every key in the example (not descending into free maps).</summary>
    private static List<(string Path, int Line)> ExampleKeys()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(OptedIn(File.ReadAllText(ConfigTestFiles.ExamplePath))));
        var keys = new List<(string, int)>();
        Collect((YamlMappingNode)stream.Documents[0].RootNode, string.Empty, keys);
        return keys;
    }

    /// <summary>
    /// The example with its opt-in keys uncommented: a key shown commented out (a line <c># remote:</c> or
    /// <c># devices: [...]</c>, then lines commented at the same indentation) is part of the documentation all the same.
    /// </summary>
    private static string OptedIn(string text, string keys = "remote|devices")
    {
        var lines = text.Split('\n');
        string? indent = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var match = System.Text.RegularExpressions.Regex.Match(lines[i], $"^( *)# ((?:{keys}):.*)$");
            if (match.Success)
            {
                indent = match.Groups[1].Value;
                lines[i] = indent + match.Groups[2].Value;
            }
            else if (indent is not null && lines[i].StartsWith(indent + "# ", StringComparison.Ordinal))
            {
                lines[i] = indent + lines[i][(indent.Length + 2)..];
            }
            else
            {
                indent = null;
            }
        }

        return string.Join('\n', lines);
    }

    private static string RemoveLine(string text, string content) =>
        string.Join('\n', text.Split('\n').Where(l => l.Trim() != content));

    private static void Collect(YamlMappingNode mapping, string prefix, List<(string, int)> keys)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var path = prefix.Length == 0 ? ((YamlScalarNode)keyNode).Value! : prefix + "." + ((YamlScalarNode)keyNode).Value;
            keys.Add((path, (int)keyNode.Start.Line));
            if (valueNode is YamlMappingNode child && ConfigKeys.Find(path)?.Kind != ConfigValueKind.FreeMap)
            {
                Collect(child, path, keys);
            }
        }
    }
}
