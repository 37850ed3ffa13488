using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HwAwareNas.Torch.Native;

/// <summary>
/// Caps the instruction set libtorch's oneDNN kernels may use at AVX2 before the first oneDNN primitive is made.
/// libtorch 2.10 (TorchSharp 0.107) computed ResNet convolutions wrongly and non-deterministically (a value on one
/// run, NaN on the next) through oneDNN's AVX-512 kernels on some CPUs (AMD EPYC Zen 4); capped at AVX2 the same
/// networks matched ONNX Runtime within 5e-6. A user who sets <c>ONEDNN_MAX_CPU_ISA</c> keeps their value: the
/// numeric self-check still guards that choice.
/// </summary>
public static class OneDnnIsaCap
{
    /// <summary>The environment variable oneDNN reads once, when it first dispatches a kernel.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap this product applies when the user has set none.</summary>
    public const string DefaultCap = "AVX2";

    private static readonly Lock Gate = new();
    private static string? applied;

    /// <summary>The cap in effect for this process (the user's value or <see cref="DefaultCap"/>), applying it first.</summary>
    public static string Effective
    {
        get
        {
            Apply();
            return applied!;
        }
    }

    /// <summary>Whether the value in effect came from the user's environment rather than this product.</summary>
    public static bool SetByUser { get; private set; }

    /// <summary>
    /// Sets <see cref="Variable"/> in the native environment unless the user set it. Idempotent; runs when this
    /// assembly is first used, which precedes every convolution the product runs through TorchSharp.
    /// </summary>
    public static void Apply()
    {
        lock (Gate)
        {
            if (applied is not null)
            {
                return;
            }

            var existing = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(existing))
            {
                SetByUser = true;
                applied = existing.Trim();
                return;
            }

            // .NET keeps its own copy of the environment on Unix; oneDNN calls getenv, so libc must see the value.
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                _ = NativeMethods.setenv(NativeMethods.CString(Variable), NativeMethods.CString(DefaultCap), 1);
            }

            Environment.SetEnvironmentVariable(Variable, DefaultCap);
            applied = DefaultCap;
        }
    }

    // A library initializer on purpose: tests and tools reach TorchSharp through this assembly's types, and the cap
    // must be in place before their first convolution, whichever entry point they start from.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "See the comment above.")]
    [ModuleInitializer]
    internal static void ApplyOnLoad() => Apply();

    private static class NativeMethods
    {
        // Byte arrays hold the NUL-terminated UTF-8 text libc expects; no string marshalling involved.
        [DllImport("libc", EntryPoint = "setenv")]
        internal static extern int setenv(byte[] name, byte[] value, int overwrite);

        internal static byte[] CString(string text) => System.Text.Encoding.UTF8.GetBytes(text + '\0');
    }
}
