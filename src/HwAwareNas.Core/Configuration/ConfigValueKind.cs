namespace HwAwareNas.Core.Configuration;

/// <summary>The shape of value a configuration key takes; drives validation, binding and the JSON Schema.</summary>
public enum ConfigValueKind
{
    /// <summary>A mapping of further keys (its children).</summary>
    Section,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A real number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>One of a fixed set of words (<see cref="ConfigKey.AllowedValues"/>).</summary>
    Choice,

    /// <summary>A file or folder path; <c>${ENV}</c> is expanded and relative paths resolve against the yaml's folder.</summary>
    Path,

    /// <summary>A list of whole numbers.</summary>
    WholeNumberList,

    /// <summary>A list of real numbers.</summary>
    NumberList,

    /// <summary>A list of words, each one of <see cref="ConfigKey.AllowedValues"/>.</summary>
    ChoiceList,

    /// <summary>A list of plain names, each given once (e.g. device profile names).</summary>
    NameList,

    /// <summary>A mapping with free keys whose values are scalars or lists of scalars.</summary>
    FreeMap,

    /// <summary>A number in [0, 1] or a text such as <c>"&gt;= 0.85"</c>.</summary>
    Threshold,

    /// <summary>
    /// An upper bound: a number in the key's <see cref="ConfigKey.Unit"/>, or a text such as <c>"&lt;= 2 ms"</c>
    /// (the comparison and the unit are optional; another unit is an error).
    /// </summary>
    Ceiling,

    /// <summary>A number of seconds or a text such as <c>90s</c>, <c>15m</c>, <c>1h30m</c>.</summary>
    Duration,

    /// <summary>One of <see cref="ConfigKey.AllowedValues"/>, or otherwise a path.</summary>
    ChoiceOrPath,
}
