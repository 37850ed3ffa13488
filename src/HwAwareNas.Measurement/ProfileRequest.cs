namespace HwAwareNas.Measurement;

/// <summary>One model to profile and what identifies it in the results store.</summary>
/// <param name="GenomeKey">The sub-network's genome key (or another stable model key, e.g. for reference models).</param>
/// <param name="Family">Super-network family.</param>
/// <param name="SettingsHash">Hash of the family settings.</param>
/// <param name="Model">The ONNX model.</param>
public sealed record ProfileRequest(string GenomeKey, string Family, string SettingsHash, OnnxModel Model);
