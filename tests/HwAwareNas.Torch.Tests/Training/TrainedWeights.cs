using HwAwareNas.Torch.Training;

namespace HwAwareNas.Torch.Tests.Training;

/// <summary>Compares the weights of two checkpoints.</summary>
internal static class TrainedWeights
{
    public static void AssertSame(Core.Families.IElasticFamily family, string a, string b)
    {
        using var first = SupernetTrainer.CreateNetwork(family, 1);
        using var second = SupernetTrainer.CreateNetwork(family, 2);
        SupernetCheckpoint.LoadWeights(a, first);
        SupernetCheckpoint.LoadWeights(b, second);
        var left = first.state_dict();
        var right = second.state_dict();
        Assert.AreEqual(left.Count, right.Count);
        foreach (var (name, tensor) in left)
        {
            Assert.IsTrue(tensor.allclose(right[name], rtol: 1e-5, atol: 1e-6), $"{name} differs");
        }
    }
}
