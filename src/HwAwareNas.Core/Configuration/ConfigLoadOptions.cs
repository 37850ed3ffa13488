namespace HwAwareNas.Core.Configuration;

/// <summary>How a configuration is loaded.</summary>
public sealed record ConfigLoadOptions
{
    /// <summary>
    /// Also check that the files the configuration reads (checkpoint, dataset, warm-start source) exist. Off by
    /// default because the checkpoint legitimately does not exist before <c>dotnet hwnas train</c>.
    /// </summary>
    public bool CheckFiles { get; init; }

    /// <summary>
    /// Compare the super-network the configuration describes (family, settings, input, classes) with the one its
    /// checkpoint's training record says was trained, when that record exists. On by default, since every stage that
    /// reads the checkpoint refuses a mismatch; off for training a new checkpoint, which replaces the old one.
    /// </summary>
    public bool CompareCheckpoint { get; init; } = true;

    /// <summary>
    /// A device profile name that replaces the file's <c>device:</c> section with <c>devices/&lt;name&gt;.yaml</c>
    /// (how a release pipeline picks a device, e.g. <c>-p:HwNasDevice=rpi4</c>); null keeps the file's own.
    /// </summary>
    public string? DeviceProfile { get; init; }

    /// <summary>Looks up environment variables for <c>${NAME}</c> expansion; the process environment by default.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
