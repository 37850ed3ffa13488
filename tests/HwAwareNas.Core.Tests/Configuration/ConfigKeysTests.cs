using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Tests.Configuration;

[TestClass]
public sealed class ConfigKeysTests
{
    [TestMethod]
    public void EveryChoiceWordBindsToADistinctEnumMemberAndEveryMemberHasAWord()
    {
        var problems = new List<string>();
        foreach (var (path, key) in ConfigKeys.All().Where(k => k.Key.EnumType is not null))
        {
            var members = Enum.GetNames(key.EnumType!).ToHashSet();
            var bound = key.AllowedValues
                .Select(w => members.FirstOrDefault(m => string.Equals(m, w.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (bound.Any(b => b is null) || bound.Distinct().Count() != members.Count)
            {
                problems.Add($"{path}: words [{string.Join(", ", key.AllowedValues)}] vs members [{string.Join(", ", members)}]");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
        Assert.AreEqual("warm-start", ConfigChoices.Format(SearchStrategy.WarmStart));
        Assert.AreEqual(SelectionRule.MaxAccuracy, ConfigChoices.Parse<SelectionRule>("max-accuracy"));
        Assert.AreEqual(ExecutionProvider.TensorRT, ConfigChoices.Parse<ExecutionProvider>("tensorrt"));
    }

    [TestMethod]
    public void KeysAreDocumentedUniqueAndDefaultsAreValidValues()
    {
        foreach (var (path, key) in ConfigKeys.All())
        {
            Assert.IsTrue(key.Description.EndsWith('.'), $"{path}: description should be a sentence");
            Assert.IsFalse(key.Required && key.Default is not null, $"{path}: required keys have no default");
            if (key.Kind == ConfigValueKind.Choice && key.Default is string word)
            {
                Assert.Contains(word, key.AllowedValues, $"{path}: default is not an allowed value");
            }
        }

        var paths = ConfigKeys.All().Select(k => k.Path).ToList();
        Assert.HasCount(paths.Count, paths.Distinct());
        Assert.AreEqual(ConfigValueKind.Section, ConfigKeys.Find("device.measure.adaptive")!.Kind);
        Assert.IsNull(ConfigKeys.Find("device.nope"));
    }

    [TestMethod]
    public void MarkdownReferenceHasOneRowPerKeyWithItsDefault()
    {
        var rows = ConfigReference.ToMarkdown().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        Assert.HasCount(ConfigKeys.All().Count(), rows);
        Assert.Contains("| `device.measure.runs` | integer | `150` | runs | Timed runs per measurement (when adaptive is off). |", rows);
        Assert.Contains("| `supernet.family` | mobilenetv3 \\| resnet \\| transformer | **required** |  | Super-network family. |", rows);
    }

    [TestMethod]
    public void FamilySettingsReadTypedValuesAndReportLocatedErrors()
    {
        // Built directly: the loader itself refuses settings its family rejects (see SupernetValidationTests).
        var settings = new FamilySettings(new Dictionary<string, FamilySetting>
        {
            ["width_mult"] = new(["wide"], IsList: false, new SourceLocation("hwnas.yaml", 7, 17)),
            ["strides"] = new(["1", "2"], IsList: true, new SourceLocation("hwnas.yaml", 8, 14)),
            ["widht"] = new(["3"], IsList: false, new SourceLocation("hwnas.yaml", 9, 12)),
        });

        CollectionAssert.AreEqual(new[] { 1, 2 }, settings.GetIntList("strides", []).ToArray());
        Assert.AreEqual(7, settings.GetInt("depth", 7));
        var wrong = Assert.ThrowsExactly<HwNasException>(() => settings.GetDouble("width_mult", 1.0));
        var diagnostic = wrong.Diagnostics.Single();
        Assert.AreEqual((ConfigDiagnosticCodes.InvalidFamilySetting, 7, 17), (diagnostic.Code, diagnostic.Line, diagnostic.Column));
        Assert.AreEqual(ExitCode.BadConfig, wrong.ExitCode);
        var unknown = Assert.ThrowsExactly<HwNasException>(() => settings.RejectUnknown(["width_mult", "strides", "width"]));
        StringAssert.Contains(unknown.Diagnostics.Single().Message, "did you mean 'width'?");
    }
}
