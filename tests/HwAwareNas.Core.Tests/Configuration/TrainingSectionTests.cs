using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Core.Tests.Configuration;

[TestClass]
public sealed class TrainingSectionTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    [TestMethod]
    public void AbsentSectionHoldsTheDocumentedDefaults()
    {
        using var folder = new TempFolder();

        var training = HwNasConfigLoader.Load(folder.Write("hwnas.yaml", TestConfigs.Minimal), NoEnvironment).Training;

        Assert.AreEqual(
            new TrainingRecipe(
                TrainingMethod.Sandwich, 10, 128, TrainingOptimizer.Sgd, null, 0, null, 0.1, 2, DistillationKind.SoftCe, true, null, 0,
                new ProgressiveEpochs(3, 2, 3, 3)),
            training);
    }

    [TestMethod]
    public void EveryKeyBinds()
    {
        using var folder = new TempFolder();
        var text = TestConfigs.Minimal + """

            training:
              method: progressive
              epochs: 4
              batch: 64
              optimizer: adamw
              lr: 0.003
              warmup_steps: 20
              weight_decay: 0.02
              label_smoothing: 0
              random_subnets: 1
              distillation: kl
              flip: false
              seed: 7
              threads: 2
              progressive: { largest: 1, kernel: 0, depth: 2, expand: 5 }
            """;

        var training = HwNasConfigLoader.Load(folder.Write("hwnas.yaml", text), NoEnvironment).Training;

        Assert.AreEqual(
            new TrainingRecipe(
                TrainingMethod.Progressive, 4, 64, TrainingOptimizer.AdamW, 0.003, 20, 0.02, 0, 1, DistillationKind.Kl, false, 7, 2,
                new ProgressiveEpochs(1, 0, 2, 5)),
            training);
    }

    [TestMethod]
    public void BadValuesAreLocatedErrors()
    {
        using var folder = new TempFolder();
        var lines = TestConfigs.Minimal.Split('\n').Length;
        var text = TestConfigs.Minimal + """

            training:
              method: shrinking
              batch: 1
              lr: 0
              label_smoothing: 1
              progressive:
                depth: -1
            """;

        var problems = HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", text), NoEnvironment).Diagnostics;

        var byKey = problems.ToDictionary(p => p.Key, p => (p.Code, p.Line));
        Assert.AreEqual((ConfigDiagnosticCodes.InvalidEnumValue, lines + 2), byKey["training.method"]);
        Assert.AreEqual((ConfigDiagnosticCodes.OutOfRange, lines + 3), byKey["training.batch"]);
        Assert.AreEqual((ConfigDiagnosticCodes.OutOfRange, lines + 4), byKey["training.lr"]);
        Assert.AreEqual((ConfigDiagnosticCodes.OutOfRange, lines + 5), byKey["training.label_smoothing"]);
        Assert.AreEqual((ConfigDiagnosticCodes.OutOfRange, lines + 7), byKey["training.progressive.depth"]);
        Assert.HasCount(5, problems);
        StringAssert.Contains(problems.Single(p => p.Key == "training.method").ToString(), "sandwich");
    }

    [TestMethod]
    public void ProgressiveShrinkingWithoutAnyEpochsIsInconsistent()
    {
        using var folder = new TempFolder();
        var text = TestConfigs.Minimal + """

            training:
              method: progressive
              progressive: { largest: 0, kernel: 0, depth: 0, expand: 0 }
            """;

        var problem = HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", text), NoEnvironment).Diagnostics.Single();

        Assert.AreEqual((ConfigDiagnosticCodes.InconsistentValues, "training.progressive"), (problem.Code, problem.Key));
        Assert.AreEqual(TestConfigs.Minimal.Split('\n').Length + 3, problem.Line);
    }
}
