namespace HwAwareNas.Core.Configuration;

/// <summary>
/// One key of hwnas.yaml as the single source of truth for the loader, the JSON Schema and the documentation:
/// its name, value kind, allowed values, range, default and meaning.
/// </summary>
public sealed record ConfigKey
{
    /// <summary>The key as written in YAML (snake_case).</summary>
    public required string Name { get; init; }

    /// <summary>The shape of value the key takes.</summary>
    public required ConfigValueKind Kind { get; init; }

    /// <summary>What the key means, one sentence.</summary>
    public required string Description { get; init; }

    /// <summary>Whether the key must be present.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// The value used when the key is absent, typed as the loader binds it (<see cref="long"/>, <see cref="double"/>,
    /// <see cref="bool"/>, <see cref="string"/> or a list of those); null when absent means "none".
    /// </summary>
    public object? Default { get; init; }

    /// <summary>How the default is described when it is not a plain value (e.g. <c>1/population</c>).</summary>
    public string? DefaultText { get; init; }

    /// <summary>The unit of a number (e.g. <c>ms</c>), or null.</summary>
    public string? Unit { get; init; }

    /// <summary>The smallest allowed number (inclusive unless <see cref="ExclusiveMinimum"/>), or null.</summary>
    public double? Minimum { get; init; }

    /// <summary>Whether <see cref="Minimum"/> itself is excluded.</summary>
    public bool ExclusiveMinimum { get; init; }

    /// <summary>The largest allowed number (inclusive unless <see cref="ExclusiveMaximum"/>), or null.</summary>
    public double? Maximum { get; init; }

    /// <summary>Whether <see cref="Maximum"/> itself is excluded.</summary>
    public bool ExclusiveMaximum { get; init; }

    /// <summary>The words a <see cref="ConfigValueKind.Choice"/>, choice list or choice-or-path key accepts.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>Words that are recognised but rejected as not supported yet.</summary>
    public IReadOnlyList<string> UnsupportedValues { get; init; } = [];

    /// <summary>The enum a choice binds to (each allowed word maps to the member of the same name without dashes).</summary>
    public Type? EnumType { get; init; }

    /// <summary>The keys of a <see cref="ConfigValueKind.Section"/>.</summary>
    public IReadOnlyList<ConfigKey> Children { get; init; } = [];

    /// <summary>The fewest items a list may have, or null.</summary>
    public int? MinItems { get; init; }

    /// <summary>The most items a list may have, or null.</summary>
    public int? MaxItems { get; init; }

    /// <summary>
    /// For a section: whether a plain name may stand in its place, naming a profile file
    /// <c>devices/&lt;name&gt;.yaml</c> beside the configuration that holds the section's keys.
    /// </summary>
    public bool AcceptsProfileName { get; init; }

    /// <summary>
    /// For a path: whether it names an input the run reads, checked for existence when the caller opts in
    /// (an output folder is not).
    /// </summary>
    public bool IsInputFile { get; init; }

    /// <summary>The default as documentation shows it (e.g. <c>150</c>, <c>[accuracy, latency]</c>, <c>none</c>).</summary>
    public string DefaultDisplay => DefaultText ?? ConfigValueText.Format(Default);
}
