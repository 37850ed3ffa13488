namespace HwAwareNas.Core.Results;

/// <summary>A passed numeric self-check: TorchSharp and ONNX Runtime agreed on a known-answer batch.</summary>
/// <param name="Key">Hash of what the answer depends on: CPU, instruction-set cap, library versions, family and weights.</param>
/// <param name="MaxDifference">Largest absolute difference between the two outputs.</param>
/// <param name="Tolerance">The largest difference the check accepted.</param>
/// <param name="Description">What was checked, in words (for the report).</param>
/// <param name="CheckedAt">When the check ran.</param>
public sealed record NumericCheckRecord(string Key, double MaxDifference, double Tolerance, string Description, DateTimeOffset CheckedAt);
