namespace HwAwareNas.Core.Configuration;

/// <summary>
/// The stable <c>HWNAS1xxx</c> codes of hwnas.yaml problems. Each kind of problem has its own code so that
/// builds, IDEs and documentation can refer to it; codes are never reused for another meaning.
/// </summary>
public static class ConfigDiagnosticCodes
{
    /// <summary>The file is not well-formed YAML (located at the syntax error).</summary>
    public const string YamlSyntax = "HWNAS1001";

    /// <summary>A value has the wrong type, e.g. text where an integer or a mapping is expected.</summary>
    public const string WrongType = "HWNAS1002";

    /// <summary>A number is outside the range the key allows.</summary>
    public const string OutOfRange = "HWNAS1003";

    /// <summary>A value is not one of the key's allowed choices.</summary>
    public const string InvalidEnumValue = "HWNAS1004";

    /// <summary>A key the configuration does not know (usually a typo; a suggestion is given when one is close).</summary>
    public const string UnknownKey = "HWNAS1005";

    /// <summary>A required key is missing (located at the mapping that should hold it).</summary>
    public const string MissingRequiredKey = "HWNAS1006";

    /// <summary>A <c>${NAME}</c> reference names an environment variable that is not set and has no default.</summary>
    public const string UndefinedEnvironmentVariable = "HWNAS1007";

    /// <summary>A value that is recognised but not supported yet, e.g. <c>precision: int8</c>.</summary>
    public const string UnsupportedValue = "HWNAS1008";

    /// <summary>Two keys that set the same thing disagree, e.g. <c>threads</c> and <c>intra_op_threads</c>.</summary>
    public const string ConflictingKeys = "HWNAS1009";

    /// <summary>A value has the right type but a malformed form, e.g. a duration or threshold that cannot be read.</summary>
    public const string MalformedValue = "HWNAS1010";

    /// <summary>Values that are each valid contradict each other, e.g. <c>min_runs</c> above <c>max_runs</c>.</summary>
    public const string InconsistentValues = "HWNAS1011";

    /// <summary>The same key appears twice in one mapping.</summary>
    public const string DuplicateKey = "HWNAS1012";

    /// <summary>The file is empty or its top level is not a mapping.</summary>
    public const string EmptyDocument = "HWNAS1013";

    /// <summary>A family setting under <c>supernet.settings</c> is missing, of the wrong type or out of range.</summary>
    public const string InvalidFamilySetting = "HWNAS1014";

    /// <summary>
    /// The checkpoint's training record says it was trained for another super-network (family, settings, input or
    /// classes) than the configuration describes.
    /// </summary>
    public const string CheckpointMismatch = "HWNAS1015";

    /// <summary>
    /// <c>device.provider</c> names an execution provider this machine's ONNX Runtime lacks. Only the tool reports it:
    /// the MSBuild task loads no native libraries.
    /// </summary>
    public const string ProviderNotAvailable = "HWNAS1016";

    /// <summary>The configuration file itself does not exist.</summary>
    public const string ConfigFileNotFound = "HWNAS1020";

    /// <summary>A file the configuration refers to (checkpoint, dataset, warm-start source) does not exist.</summary>
    public const string MissingReferencedFile = "HWNAS1021";

    /// <summary>The named device profile <c>devices/&lt;name&gt;.yaml</c> does not exist beside the configuration.</summary>
    public const string MissingDeviceProfile = "HWNAS1022";

    /// <summary>A file the configuration refers to exists but cannot be read, e.g. a checkpoint's training record that is not valid JSON.</summary>
    public const string CorruptReferencedFile = "HWNAS1023";

    /// <summary>A secret (a password) is written in the configuration file instead of coming from the environment.</summary>
    public const string SecretInConfig = "HWNAS1024";

    /// <summary>Codes whose problems are missing or corrupt inputs rather than mistakes in the file (exit code MissingInput).</summary>
    public static IReadOnlySet<string> MissingInputCodes { get; } =
        new HashSet<string>(StringComparer.Ordinal) { ConfigFileNotFound, MissingReferencedFile, MissingDeviceProfile, CorruptReferencedFile };
}
