using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Configuration;

/// <summary>A place in a configuration file.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column);

/// <summary>
/// Where each key of a loaded configuration was written, so that a later stage (a family checking its
/// settings, the selector finding a constraint impossible) can report a located diagnostic.
/// </summary>
public sealed class ConfigLocations
{
    private readonly IReadOnlyDictionary<string, SourceLocation> _byKey;

    /// <summary>Creates the lookup over dotted key paths.</summary>
    /// <param name="file">The configuration file as the user named it; used when no key is located.</param>
    /// <param name="byKey">Location of each key present in the file, by dotted path.</param>
    public ConfigLocations(string file, IReadOnlyDictionary<string, SourceLocation> byKey)
    {
        File = file;
        _byKey = byKey;
    }

    /// <summary>The configuration file as the user named it.</summary>
    public string File { get; }

    /// <summary>
    /// The location of <paramref name="dottedKey"/>, or of its nearest written parent when the key took its default,
    /// or the file's start.
    /// </summary>
    public SourceLocation Find(string dottedKey)
    {
        for (var key = dottedKey; key.Length > 0; key = key.Contains('.', StringComparison.Ordinal) ? key[..key.LastIndexOf('.')] : string.Empty)
        {
            if (_byKey.TryGetValue(key, out var location))
            {
                return location;
            }
        }

        return new SourceLocation(File, 1, 1);
    }

    /// <summary>Makes an error diagnostic located at <paramref name="dottedKey"/>.</summary>
    public Diagnostic Error(string dottedKey, string code, string message, string expected)
    {
        var at = Find(dottedKey);
        return new Diagnostic(code, DiagnosticSeverity.Error, at.File, at.Line, at.Column, dottedKey, message, expected);
    }
}
