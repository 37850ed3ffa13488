using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using static TorchSharp.torch;

namespace HwAwareNas.Onnx.Tests;

/// <summary>
/// The acceptance test of the exporter: random sub-networks of each family's super-network, exported and run in
/// ONNX Runtime, reproduce the TorchSharp module's eval-mode output, and every file passes the ONNX checker.
/// </summary>
[TestClass]
public sealed class SupernetExportTests
{
    private const int GenomesPerFamily = 30;
    private const int Batch = 3;

    public TestContext TestContext { get; set; } = null!;

    // Torch's random generator is global, so these run alone to stay reproducible.
    [TestMethod]
    [DoNotParallelize]
    [DataRow("mobilenetv3", "")]
    [DataRow("resnet", "stem=16,widths=24/32/48/64")]
    [DataRow("transformer", "pool=cls")]
    [DataRow("transformer", "pool=mean,patch=4")]
    public void RandomSubnetworksMatchTheSupernetInOnnxRuntime(string familyName, string settings)
    {
        var family = FamilyRegistry.Create(
            familyName, new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(settings)));
        random.manual_seed(17);
        using var supernet = new ElasticSupernet(family);
        GiveBatchNormsNonTrivialStatistics(supernet, family);
        supernet.eval();

        using var batch = randn(Batch, 1, 28, 28);
        var input = batch.data<float>().ToArray();
        var folder = Path.Combine(Path.GetTempPath(), "hwnas-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var sampler = new Random(23);
        var paths = new List<string>();
        var worst = 0.0;
        var largestLogit = 0.0;
        var parameterCounts = new List<long>();
        for (var i = 0; i < GenomesPerFamily; i++)
        {
            var genome = i == 0 ? family.Largest() : i == 1 ? family.Smallest() : family.Sample(sampler);
            supernet.SetActive(genome);
            float[] expected;
            using (no_grad())
            using (var output = supernet.forward(batch))
            {
                expected = output.data<float>().ToArray();
            }

            var graph = supernet.ExtractActive();
            var path = Path.Combine(folder, $"{familyName}-{i}.onnx");
            OnnxExporter.Export(graph, OnnxExportOptions.ForFamily(family, genome, new OnnxPreprocessing(1, [0.0], [1.0])), path);
            paths.Add(path);
            parameterCounts.Add(OnnxExporter.CountFoldedParameters(graph));
            if (!supernet.HasBatchNorm)
            {
                Assert.AreEqual(family.Plan(genome).Parameters, parameterCounts[^1], "with nothing to fold, the model holds exactly the plan's parameters");
            }

            var (actual, shape) = OrtRunner.Run(path, input, [Batch, 1, 28, 28]);
            CollectionAssert.AreEqual(new long[] { Batch, family.Classes }, shape, family.ToOfaNotation(genome));
            worst = Math.Max(worst, OnnxExporterTests.AssertClose(expected, actual));
            largestLogit = Math.Max(largestLogit, expected.Max(Math.Abs));
        }

        OnnxChecker.Check([.. paths]);
        Directory.Delete(folder, recursive: true);
        Assert.IsGreaterThan(parameterCounts.Min(), parameterCounts.Max(), "the sampled sub-networks differ in size");
        TestContext.WriteLine(
            $"{familyName}: {GenomesPerFamily} sub-networks, folded parameters {parameterCounts.Min()}..{parameterCounts.Max()}, max |logit| {largestLogit:G3}, max |ONNX - Torch| = {worst:G3}");
    }

    /// <summary>
    /// Perturbs every 1-D parameter (BatchNorm and LayerNorm γ/β, biases) and runs training-mode passes over random batches for
    /// several sub-networks, so folding meets running means and variances far from 0 and 1.
    /// </summary>
    private static void GiveBatchNormsNonTrivialStatistics(ElasticSupernet supernet, IElasticFamily family)
    {
        using (no_grad())
        {
            foreach (var (_, parameter) in supernet.named_parameters())
            {
                if (parameter.dim() == 1)
                {
                    parameter.add_(rand_like(parameter).mul_(0.6).sub_(0.3));
                }
            }
        }

        supernet.train();
        supernet.BatchNormMomentum = 0.5;
        var sampler = new Random(5);
        using (no_grad())
        {
            for (var step = 0; step < 6; step++)
            {
                supernet.SetActive(step % 2 == 0 ? family.Largest() : family.Sample(sampler));
                using var scope = NewDisposeScope();
                supernet.forward(randn(8, 1, 28, 28).mul_(1.5).add_(0.3));
            }
        }
    }
}
