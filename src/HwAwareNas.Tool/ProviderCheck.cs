using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Measurement;

namespace HwAwareNas.Tool;

/// <summary>
/// Whether this machine's ONNX Runtime has the configuration's execution provider, as a diagnostic located at
/// <c>device.provider</c>. Configuration loading cannot ask (the MSBuild task loads no native libraries), so the tool
/// asks when it validates and before it loads or measures anything.
/// </summary>
internal static class ProviderCheck
{
    /// <summary>The problem with <c>device.provider</c>, or null when the runtime has it.</summary>
    public static Diagnostic? Diagnose(HwNasConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var provider = config.Device.Provider;

        // A remote device's agents have their own runtime: they report their providers and refuse what they lack.
        if (config.Device.Remote is not null || ExecutionProviders.IsAvailable(provider))
        {
            return null;
        }

        var available = ExecutionProviders.Available();
        var usable = Enum.GetValues<ExecutionProvider>()
            .Where(p => available.Contains(ExecutionProviders.OrtName(p), StringComparer.Ordinal))
            .Select(p => ConfigChoices.Format(p));
        return config.Locations.Error(
            "device.provider",
            ConfigDiagnosticCodes.ProviderNotAvailable,
            $"execution provider '{ConfigChoices.Format(provider)}' ({ExecutionProviders.OrtName(provider)}) is not available in this "
            + $"ONNX Runtime build ({ExecutionProviders.RuntimeVersion}), which has {string.Join(", ", available)}",
            $"one of: {string.Join(", ", usable)}; or install an ONNX Runtime package built with {ExecutionProviders.OrtName(provider)}");
    }

    /// <summary>Throws the located problem with <c>device.provider</c> (<see cref="ExitCode.RuntimeRejected"/>), if any.</summary>
    public static void Require(HwNasConfig config)
    {
        if (Diagnose(config) is { } problem)
        {
            throw new HwNasException([problem], ExitCode.RuntimeRejected);
        }
    }
}
