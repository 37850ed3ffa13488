using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Families;

/// <summary>One thing wrong with a family's settings, for a located diagnostic.</summary>
/// <param name="Settings">The settings it is about, most telling first (empty: the settings as a whole).</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Expected">What is expected instead.</param>
internal sealed record FamilySettingProblem(IReadOnlyList<string> Settings, string Message, string Expected);

/// <summary>
/// Bad family settings (<see cref="ExitCode.BadConfig"/>). The message reads well where settings came as
/// <c>key=value</c> text; <see cref="Problems"/> name the settings, so that configuration validation can locate each
/// at its key in hwnas.yaml.
/// </summary>
internal sealed class FamilySettingsException : HwNasException
{
    /// <summary>Creates the exception for one problem.</summary>
    public FamilySettingsException(string message, string setting, string problem, string expected)
        : this(message, [new FamilySettingProblem([setting], problem, expected)])
    {
    }

    /// <summary>Creates the exception for several problems.</summary>
    public FamilySettingsException(string message, IReadOnlyList<FamilySettingProblem> problems)
        : base(message, ExitCode.BadConfig)
    {
        Problems = problems;
    }

    /// <summary>Each problem, with the settings it is about.</summary>
    public IReadOnlyList<FamilySettingProblem> Problems { get; }
}
