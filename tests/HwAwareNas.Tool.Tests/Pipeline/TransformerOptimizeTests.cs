using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>
/// <c>hwnas train</c> and <c>hwnas optimize</c> end to end on a tiny elastic Transformer: the same stages and outputs as
/// for the convolutional families, with no BatchNorm to re-calibrate.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TransformerOptimizeTests
{
    [TestMethod]
    public async Task TrainAndOptimizeWriteEveryOutputForATransformer()
    {
        using var project = new TinyProject(TinyProject.Transformer);
        var training = project.Train();
        Assert.AreEqual(0, training.ExitCode, training.ToString());

        var console = new CapturedConsole();
        var pipeline = new OptimizePipeline(console);
        var code = await pipeline.RunAsync(new OptimizeRequest(project.ConfigPath, null, null, null, null, MsBuildLog: false), CancellationToken.None);
        var log = console.Output.ToString() + console.ErrorOutput;

        Assert.AreEqual(ExitCode.Success, code, log);
        var output = Path.Combine(project.Folder, "out");
        foreach (var name in new[] { "model.onnx", "report.html", "report.md", "results.json", "pareto.csv", "inference_settings.json" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; wrote: {string.Join(", ", pipeline.LastRun!.Written)}");
        }

        using var session = new InferenceSession(Path.Combine(output, "model.onnx"));
        var genome = session.ModelMetadata.CustomMetadataMap.Single(p => p.Key.Contains("genome", StringComparison.OrdinalIgnoreCase)).Value;
        var family = FamilyRegistry.Create(
            "transformer", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("w=16/32,d=1/2,h=1/2,r=2/4")));
        Assert.IsTrue(family.IsValid(family.FromOfaNotation(genome)), genome);
        Assert.AreEqual("N", session.InputMetadata.Single().Value.SymbolicDimensions[0], "the batch dimension is dynamic");
    }
}
