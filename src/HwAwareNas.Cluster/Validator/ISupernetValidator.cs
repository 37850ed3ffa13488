using HwAwareNas.Cluster.Contracts;

namespace HwAwareNas.Cluster.Validator;

/// <summary>
/// Computes sub-networks' accuracy from a setup's files, as the caller's own machine does (BatchNorm re-calibration,
/// then top-1 of the exported model). Implemented where TorchSharp is: the full tool; <c>hwnas-agent</c> has none and
/// cannot be a validator.
/// </summary>
internal interface ISupernetValidator
{
    /// <summary>
    /// Top-1 accuracy (0..1) of the canonical genome with <paramref name="choices"/> under <paramref name="setup"/>, whose
    /// files by role are <paramref name="files"/> (hash-checked). Throws <see cref="Core.Diagnostics.HwNasException"/>
    /// when the inputs cannot be used here (corrupt, not matching each other, numeric self-check failed).
    /// </summary>
    double Validate(ValidationSetup setup, IReadOnlyDictionary<string, string> files, int[] choices);
}

/// <summary>
/// How this process makes its <see cref="ISupernetValidator"/>: the full tool sets it at start-up (with the threads to
/// validate with); in <c>hwnas-agent</c>, which carries no TorchSharp, it stays null and <c>--role validator</c> is refused.
/// </summary>
internal static class ValidatorSupport
{
    /// <summary>Makes a validator using the given number of threads, or null when this process cannot validate.</summary>
    public static Func<int, ISupernetValidator>? Factory { get; set; }
}
