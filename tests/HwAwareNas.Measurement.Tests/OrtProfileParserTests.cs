using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Measurement.Tests;

[TestClass]
public sealed class OrtProfileParserTests
{
    [TestMethod]
    public void Parse_AveragesEachNodesLastRunsAndKeepsFirstRunOrder()
    {
        const string json = """
            [
              {"cat":"Session","pid":1,"tid":1,"dur":900,"ts":1,"ph":"X","name":"model_loading_array","args":{}},
              {"cat":"Node","pid":1,"tid":1,"dur":100,"ts":2,"ph":"X","name":"conv_fence_before","args":{"op_name":"Conv"}},
              {"cat":"Node","pid":1,"tid":1,"dur":1000,"ts":3,"ph":"X","name":"conv_kernel_time","args":{"op_name":"Conv","provider":"CPUExecutionProvider"}},
              {"cat":"Node","pid":1,"tid":1,"dur":50,"ts":4,"ph":"X","name":"relu_kernel_time","args":{"op_name":"Relu"}},
              {"cat":"Node","pid":1,"tid":1,"dur":200,"ts":5,"ph":"X","name":"conv_kernel_time","args":{"op_name":"Conv"}},
              {"cat":"Node","pid":1,"tid":1,"dur":10,"ts":6,"ph":"X","name":"relu_kernel_time","args":{"op_name":"Relu"}},
              {"cat":"Node","pid":1,"tid":1,"dur":400,"ts":7,"ph":"X","name":"conv_kernel_time","args":{"op_name":"Conv"}},
              {"cat":"Node","pid":1,"tid":1,"dur":30,"ts":8,"ph":"X","name":"relu_kernel_time","args":{"op_name":"Relu"}}
            ]
            """;

        var timings = OrtProfileParser.Parse(json, lastRuns: 2);

        Assert.HasCount(2, timings);
        Assert.AreEqual(new OperatorTiming("conv", "Conv", 2, 0.3), timings[0]);
        Assert.AreEqual("relu", timings[1].Node);
        Assert.AreEqual(0.02, timings[1].MeanMs, 1e-12);
    }

    [TestMethod]
    public void Parse_RejectsTextThatIsNotATrace()
    {
        Assert.ThrowsExactly<HwNasException>(() => OrtProfileParser.Parse("{\"cat\":1}", 1));
        Assert.ThrowsExactly<HwNasException>(() => OrtProfileParser.Parse("not json", 1));
    }
}
