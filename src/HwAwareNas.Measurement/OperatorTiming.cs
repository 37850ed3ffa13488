namespace HwAwareNas.Measurement;

/// <summary>Time one graph node took per inference, from ONNX Runtime's profiler.</summary>
/// <param name="Node">Node name.</param>
/// <param name="OperatorType">ONNX operator type, e.g. <c>Conv</c>.</param>
/// <param name="Calls">Number of timed inferences the figure averages over.</param>
/// <param name="MeanMs">Mean kernel time per inference in milliseconds.</param>
public sealed record OperatorTiming(string Node, string OperatorType, int Calls, double MeanMs);
