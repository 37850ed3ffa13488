using System.Globalization;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// Walks the YAML representation model against <see cref="ConfigKeys"/>, collecting every problem as a located
/// diagnostic and every valid value by dotted key path. One instance reads one configuration.
/// </summary>
internal sealed partial class ConfigReader
{
    private readonly string _baseDirectory;
    private readonly string _displayDirectory;
    private readonly ConfigLoadOptions _options;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly Dictionary<string, ReadValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation> _keyLocations = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Path, SourceLocation At)> _inputFiles = [];

    /// <summary>Creates a reader for one file.</summary>
    /// <param name="displayFile">The file as the user named it (diagnostics show this).</param>
    /// <param name="baseDirectory">Absolute folder relative paths resolve against.</param>
    /// <param name="options">Load options.</param>
    public ConfigReader(string displayFile, string baseDirectory, ConfigLoadOptions options)
    {
        DisplayFile = displayFile;
        _baseDirectory = baseDirectory;
        _displayDirectory = Path.GetDirectoryName(displayFile) ?? string.Empty;
        _options = options;
    }

    /// <summary>The file as the user named it.</summary>
    public string DisplayFile { get; }

    /// <summary>
    /// Expands <c>${NAME}</c> references in <paramref name="text"/> from the load options' environment, reporting each
    /// unset name at <paramref name="at"/>; null when one is unset.
    /// </summary>
    public string? ExpandEnvironment(string text, string path, SourceLocation at)
    {
        var expanded = EnvironmentExpansion.Expand(text, _options.Environment, out var undefined);
        foreach (var name in undefined)
        {
            Report(ConfigDiagnosticCodes.UndefinedEnvironmentVariable, at, path,
                $"environment variable '{name}' used in '{path}' is not set",
                $"set {name}, or give a default as ${{{name}:-default}}");
        }

        return undefined.Count > 0 ? null : expanded;
    }

    /// <summary>Problems found so far.</summary>
    public List<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Valid values by dotted key path.</summary>
    public IReadOnlyDictionary<string, ReadValue> Values => _values;

    /// <summary>Where each written key is, by dotted key path.</summary>
    public IReadOnlyDictionary<string, SourceLocation> KeyLocations => _keyLocations;

    /// <summary>The named device profile that was read (name and absolute path), or null when the device is inline.</summary>
    public (string Name, string Path)? DeviceProfile { get; private set; }

    /// <summary>Reads the whole configuration text.</summary>
    public void Read(string text)
    {
        if (Parse(text, DisplayFile) is { } root)
        {
            ReadSection(root, ConfigKeys.Root, string.Empty, DisplayFile);
        }

        if (_options.DeviceProfile is { } profile)
        {
            foreach (var key in _values.Keys.Where(k => k.StartsWith("device.", StringComparison.Ordinal)).ToList())
            {
                _values.Remove(key);
            }

            DeviceProfile = null;

            var at = _keyLocations.TryGetValue("device", out var deviceAt) ? deviceAt : new SourceLocation(DisplayFile, 0, 0);
            ReadProfile(ConfigKeys.Find("device")!, profile, at);
        }

        CheckDeviceList();
        if (_options.CheckFiles)
        {
            CheckInputFiles();
        }
    }

    /// <summary>Reports a diagnostic at a location.</summary>
    public void Report(string code, SourceLocation at, string key, string message, string expected) =>
        _diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, at.File, at.Line, at.Column, key, message, expected));

    private static SourceLocation At(string file, YamlNode node) => At(file, node.Start);

    private static SourceLocation At(string file, Mark mark) =>
        new(file, (int)Math.Min(mark.Line, int.MaxValue), (int)Math.Min(mark.Column, int.MaxValue));

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => $"the quoted text \"{s.Value}\"",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    private YamlMappingNode? Parse(string text, string file)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on an unterminated flow collection.
            Report(ConfigDiagnosticCodes.YamlSyntax, At(file, scanner.CurrentPosition), string.Empty,
                "YAML syntax error: a '[' or '{' before this point is not closed", "well-formed YAML");
            return null;
        }
        catch (YamlException ex)
        {
            var duplicate = ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase)
                || ex.InnerException is ArgumentException;
            Report(
                duplicate ? ConfigDiagnosticCodes.DuplicateKey : ConfigDiagnosticCodes.YamlSyntax,
                At(file, ex.Start),
                string.Empty,
                duplicate ? "the same key appears twice in one mapping" : $"YAML syntax error: {ex.Message.TrimEnd('.')}",
                duplicate ? "each key once per mapping" : "well-formed YAML");
            return null;
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            Report(ConfigDiagnosticCodes.EmptyDocument, new SourceLocation(file, 1, 1), string.Empty, "the file is empty", "a mapping of sections such as supernet:, dataset:, device:");
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            Report(ConfigDiagnosticCodes.EmptyDocument, At(file, root), string.Empty, $"the top level is {Describe(root)}", "a mapping of sections such as supernet:, dataset:, device:");
            return null;
        }

        return mapping;
    }

    private void ReadSection(YamlMappingNode node, IReadOnlyList<ConfigKey> keys, string prefix, string file)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                Report(ConfigDiagnosticCodes.WrongType, At(file, keyNode), prefix, $"a key is {Describe(keyNode)}", "a plain key name");
                continue;
            }

            var path = Join(prefix, name);
            var key = keys.FirstOrDefault(k => k.Name == name);
            if (key is null)
            {
                ReportUnknownKey(name, keys, prefix, At(file, keyNode));
                continue;
            }

            _keyLocations[path] = At(file, keyNode);
            if (IsNull(valueNode))
            {
                continue;
            }

            present.Add(name);
            ReadValue(key, valueNode, path, file);
        }

        // A missing key is reported where its parent key is written (the mapping itself for a file's top level).
        var sectionAt = _keyLocations.TryGetValue(prefix, out var parentAt) && parentAt.File == file ? parentAt : At(file, node);
        ReportMissingRequired(keys.Where(k => !present.Contains(k.Name)), prefix, sectionAt);
    }

    private void ReportMissingRequired(IEnumerable<ConfigKey> absent, string prefix, SourceLocation at)
    {
        foreach (var key in absent.Where(k => k.Required))
        {
            var path = Join(prefix, key.Name);
            var where = prefix.Length == 0 ? "at the top level" : $"in '{prefix}'";
            Report(ConfigDiagnosticCodes.MissingRequiredKey, at, path, $"missing required key '{key.Name}' {where}", key.Description.TrimEnd('.'));
        }
    }

    private void ReportUnknownKey(string name, IReadOnlyList<ConfigKey> siblings, string prefix, SourceLocation at)
    {
        var hint = KeySuggestion.DidYouMean(name, siblings.Select(k => k.Name));
        if (hint.Length == 0)
        {
            var elsewhere = ConfigKeys.All().FirstOrDefault(k => k.Key.Name == name).Path;
            if (elsewhere is not null)
            {
                hint = $"; it belongs at '{elsewhere}'";
            }
        }

        var where = prefix.Length == 0 ? "at the top level" : $"in '{prefix}'";
        Report(ConfigDiagnosticCodes.UnknownKey, at, Join(prefix, name), $"unknown key '{name}' {where}{hint}",
            "one of: " + string.Join(", ", siblings.Select(k => k.Name)));
    }

    private void ReadValue(ConfigKey key, YamlNode node, string path, string file)
    {
        var at = At(file, node);
        switch (key.Kind)
        {
            case ConfigValueKind.Section when node is YamlMappingNode mapping:
                ReadSection(mapping, key.Children, path, file);
                break;
            case ConfigValueKind.Section when key.AcceptsProfileName && node is YamlScalarNode { Value: { } profile }:
                ReadProfile(key, profile, at);
                break;
            case ConfigValueKind.Section:
                WrongType(path, node, at, key.AcceptsProfileName ? "a mapping of keys, or a profile name" : "a mapping of keys");
                break;
            case ConfigValueKind.WholeNumberList or ConfigValueKind.NumberList or ConfigValueKind.ChoiceList or ConfigValueKind.NameList:
                ReadList(key, node, path, at, file);
                break;
            case ConfigValueKind.FreeMap:
                ReadFreeMap(node, path, at, file);
                break;
            default:
                if (node is not YamlScalarNode scalar)
                {
                    WrongType(path, node, at, Expectation(key));
                }
                else if (ReadScalar(key, scalar, path, at) is { } value)
                {
                    Store(path, value, at);
                }

                break;
        }
    }

    private void Store(string path, object value, SourceLocation at) => _values[path] = new ReadValue(value, at);

    private void WrongType(string path, YamlNode node, SourceLocation at, string expected) =>
        Report(ConfigDiagnosticCodes.WrongType, at, path, $"'{path}' is {Describe(node)}", expected);

    private static string Expectation(ConfigKey key) => key.Kind switch
    {
        ConfigValueKind.WholeNumber => "a whole number" + RangeText(key),
        ConfigValueKind.Number => "a number" + RangeText(key),
        ConfigValueKind.Boolean => "true or false",
        ConfigValueKind.Choice => "one of: " + string.Join(", ", key.AllowedValues),
        ConfigValueKind.Path => "a file or folder path",
        ConfigValueKind.ChoiceOrPath => string.Join(", ", key.AllowedValues) + " or a file path",
        ConfigValueKind.Threshold => "a number" + RangeText(key) + " or a text like \">= 0.85\"",
        ConfigValueKind.Ceiling => "a number" + RangeText(key) + $" or a text like \"<= 2 {key.Unit}\"",
        ConfigValueKind.Duration => DurationText.Forms,
        ConfigValueKind.WholeNumberList => "a list of whole numbers" + RangeText(key),
        ConfigValueKind.NumberList => "a list of numbers" + RangeText(key),
        ConfigValueKind.ChoiceList => "a list of: " + string.Join(", ", key.AllowedValues),
        ConfigValueKind.NameList => "a list of names",
        _ => "a text",
    };

    private static string RangeText(ConfigKey key)
    {
        static string Format(double v) => v >= long.MaxValue ? "any" : v.ToString(CultureInfo.InvariantCulture);
        return (key.Minimum, key.Maximum) switch
        {
            ({ } min, { } max) when max < int.MaxValue =>
                $" in {(key.ExclusiveMinimum ? "(" : "[")}{Format(min)}, {Format(max)}{(key.ExclusiveMaximum ? ")" : "]")}",
            ({ } min, _) => key.ExclusiveMinimum ? $" > {Format(min)}" : $" >= {Format(min)}",
            _ => string.Empty,
        };
    }

    private object? ReadScalar(ConfigKey key, YamlScalarNode scalar, string path, SourceLocation at)
    {
        var text = scalar.Value ?? string.Empty;
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        switch (key.Kind)
        {
            case ConfigValueKind.WholeNumber:
                if (!quoted && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return InRange(key, integer, path, at) ? integer : null;
                }

                WrongType(path, scalar, at, Expectation(key));
                return null;
            case ConfigValueKind.Number:
                if (!quoted && TryParseNumber(text, out var number))
                {
                    return InRange(key, number, path, at) ? number : null;
                }

                WrongType(path, scalar, at, Expectation(key));
                return null;
            case ConfigValueKind.Boolean:
                if (!quoted && bool.TryParse(text, out var flag))
                {
                    return flag;
                }

                WrongType(path, scalar, at, Expectation(key));
                return null;
            case ConfigValueKind.Choice:
                return ReadChoice(key, text, path, at);
            case ConfigValueKind.Path:
                return ReadPath(key, text, path, at);
            case ConfigValueKind.ChoiceOrPath:
                return key.AllowedValues.Contains(text) ? text : ReadPath(key, text, path, at);
            case ConfigValueKind.Threshold:
                return ReadThreshold(key, text, quoted, path, at);
            case ConfigValueKind.Ceiling:
                return ReadCeiling(key, text, path, at);
            case ConfigValueKind.Duration:
                return ReadDuration(key, text, path, at);
            default:
                return text;
        }
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private bool InRange(ConfigKey key, double value, string path, SourceLocation at)
    {
        var belowMin = key.Minimum is { } min && (key.ExclusiveMinimum ? value <= min : value < min);
        var aboveMax = key.Maximum is { } max && (key.ExclusiveMaximum ? value >= max : value > max);
        if (belowMin || aboveMax)
        {
            var shown = value.ToString(CultureInfo.InvariantCulture);
            Report(ConfigDiagnosticCodes.OutOfRange, at, path, $"'{path}' is {shown}, out of range",
                (key.Kind is ConfigValueKind.WholeNumber or ConfigValueKind.WholeNumberList ? "a whole number" : "a number") + RangeText(key));
            return false;
        }

        return true;
    }

    private string? ReadChoice(ConfigKey key, string text, string path, SourceLocation at)
    {
        if (key.AllowedValues.Contains(text))
        {
            return text;
        }

        if (key.UnsupportedValues.Contains(text))
        {
            Report(ConfigDiagnosticCodes.UnsupportedValue, at, path, $"'{path}: {text}' is not supported yet",
                "one of: " + string.Join(", ", key.AllowedValues));
            return null;
        }

        Report(ConfigDiagnosticCodes.InvalidEnumValue, at, path,
            $"'{text}' is not a valid value for '{path}'{KeySuggestion.DidYouMean(text, key.AllowedValues)}",
            "one of: " + string.Join(", ", key.AllowedValues));
        return null;
    }

    private string? ReadPath(ConfigKey key, string text, string path, SourceLocation at)
    {
        if (ExpandEnvironment(text, path, at) is not { } expanded)
        {
            return null;
        }

        if (expanded.Trim().Length == 0)
        {
            Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' is an empty path", Expectation(key));
            return null;
        }

        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(_baseDirectory, expanded));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' is not a valid path: {ex.Message}", Expectation(key));
            return null;
        }

        if (key.IsInputFile)
        {
            _inputFiles.Add((path, full, at));
        }

        return full;
    }

    private double? ReadThreshold(ConfigKey key, string text, bool quoted, string path, SourceLocation at)
    {
        if (!quoted && TryParseNumber(text, out var number))
        {
            return InRange(key, number, path, at) ? number : null;
        }

        var match = ThresholdPattern().Match(text);
        if (match.Success && TryParseNumber(match.Groups["value"].Value, out var bound))
        {
            return InRange(key, bound, path, at) ? bound : null;
        }

        Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' has '{text}', which is not a threshold", Expectation(key));
        return null;
    }

    // A bound written the way accuracy's is ("<= 2 ms" beside ">= 0.85"); a unit other than the key's is refused rather
    // than converted, so a value never silently means something else.
    private double? ReadCeiling(ConfigKey key, string text, string path, SourceLocation at)
    {
        var match = CeilingPattern().Match(text);
        if (match.Success && TryParseNumber(match.Groups["value"].Value, out var bound))
        {
            var unit = match.Groups["unit"];
            if (unit.Success && !string.Equals(unit.Value, key.Unit, StringComparison.Ordinal))
            {
                Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' has '{text}', in {unit.Value}", $"a value in {key.Unit}, e.g. \"<= 2 {key.Unit}\"");
                return null;
            }

            return InRange(key, bound, path, at) ? bound : null;
        }

        Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' has '{text}', which is not an upper bound", Expectation(key));
        return null;
    }

    private TimeSpan? ReadDuration(ConfigKey key, string text, string path, SourceLocation at)
    {
        if (!DurationText.TryParse(text, out var duration))
        {
            Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{path}' has '{text}', which is not a duration", Expectation(key));
            return null;
        }

        return InRange(key, duration.TotalSeconds, path, at) ? duration : null;
    }

    private void ReadList(ConfigKey key, YamlNode node, string path, SourceLocation at, string file)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Any(c => c is not YamlScalarNode))
        {
            WrongType(path, node, at, Expectation(key));
            return;
        }

        var count = sequence.Children.Count;
        if (count < (key.MinItems ?? 0) || count > (key.MaxItems ?? int.MaxValue))
        {
            var expected = key.MinItems == key.MaxItems
                ? $"exactly {key.MinItems} items"
                : $"at least {key.MinItems ?? 0}" + (key.MaxItems is { } maxItems ? $" and at most {maxItems}" : string.Empty) + " items";
            Report(ConfigDiagnosticCodes.OutOfRange, at, path, $"'{path}' has {count} items", expected);
            return;
        }

        var itemKind = key.Kind switch
        {
            ConfigValueKind.WholeNumberList => ConfigValueKind.WholeNumber,
            ConfigValueKind.NumberList => ConfigValueKind.Number,
            ConfigValueKind.NameList => ConfigValueKind.Text,
            _ => ConfigValueKind.Choice,
        };
        var itemKey = key with { Kind = itemKind };
        var items = sequence.Children.Cast<YamlScalarNode>().Select(s => ReadScalar(itemKey, s, path, At(file, s))).ToList();
        if (items.Any(i => i is null))
        {
            return;
        }

        switch (key.Kind)
        {
            case ConfigValueKind.WholeNumberList:
                Store(path, items.Cast<long>().ToList(), at);
                break;
            case ConfigValueKind.NumberList:
                Store(path, items.Cast<double>().ToList(), at);
                break;
            default:
                var words = items.Cast<string>().ToList();
                var repeated = words.GroupBy(w => w, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
                if (repeated is not null)
                {
                    Report(ConfigDiagnosticCodes.InconsistentValues, at, path, $"'{path}' lists '{repeated}' more than once", "each value once");
                    return;
                }

                Store(path, words, at);
                break;
        }
    }

    private void ReadFreeMap(YamlNode node, string path, SourceLocation at, string file)
    {
        if (node is not YamlMappingNode mapping)
        {
            WrongType(path, node, at, "a mapping of settings");
            return;
        }

        var entries = new Dictionary<string, FamilySetting>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var valueAt = At(file, valueNode);
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                Report(ConfigDiagnosticCodes.WrongType, At(file, keyNode), path, $"a key in '{path}' is {Describe(keyNode)}", "a plain setting name");
                continue;
            }

            // Families check their settings after binding; their diagnostics point at the setting's key.
            _keyLocations[Join(path, name)] = At(file, keyNode);
            switch (valueNode)
            {
                case YamlScalarNode scalar:
                    entries[name] = new FamilySetting([scalar.Value ?? string.Empty], false, valueAt);
                    break;
                case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                    entries[name] = new FamilySetting([.. sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? string.Empty)], true, valueAt);
                    break;
                default:
                    WrongType(Join(path, name), valueNode, valueAt, "a value or a list of values");
                    break;
            }
        }

        Store(path, new FamilySettings(entries), at);
    }

    private void ReadProfile(ConfigKey section, string name, SourceLocation at)
    {
        const string path = "device";
        if (ProfileFile(name, path, at) is not var (fullPath, displayPath))
        {
            return;
        }

        DeviceProfile = (name, fullPath);
        if (Parse(File.ReadAllText(fullPath), displayPath) is { } mapping)
        {
            ReadSection(mapping, section.Children, path, displayPath);
        }
    }

    // A device profile is a plain name for devices/<name>.yaml beside the configuration; null (reported) otherwise.
    private (string FullPath, string DisplayPath)? ProfileFile(string name, string path, SourceLocation at)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', ':']) >= 0 || name.StartsWith('.'))
        {
            Report(ConfigDiagnosticCodes.MalformedValue, at, path, $"'{name}' is not a device profile name", "a plain name such as rpi4, naming devices/<name>.yaml");
            return null;
        }

        var fullPath = Path.Combine(_baseDirectory, "devices", name + ".yaml");
        var displayPath = Path.Combine(_displayDirectory, "devices", name + ".yaml");
        if (!File.Exists(fullPath))
        {
            Report(ConfigDiagnosticCodes.MissingDeviceProfile, at, path, $"device profile '{name}' not found at '{displayPath}'",
                "a file devices/<name>.yaml beside the configuration, holding the device keys");
            return null;
        }

        return (fullPath, displayPath);
    }

    // devices: names profiles only; an inline or named device section beside it would be silently unused.
    private void CheckDeviceList()
    {
        const string path = "devices";
        if (!_values.TryGetValue(path, out var devices))
        {
            return;
        }

        foreach (var name in (List<string>)devices.Value)
        {
            ProfileFile(name, path, devices.At);
        }

        if (_keyLocations.TryGetValue("device", out var deviceAt) && _options.DeviceProfile is null)
        {
            Report(ConfigDiagnosticCodes.InconsistentValues, deviceAt, "device", "'device' and 'devices' are both given",
                "either one device (device:) or a list of device profiles (devices:), whose sections live in devices/<name>.yaml");
        }
    }

    private void CheckInputFiles()
    {
        foreach (var (key, path, at) in _inputFiles)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                var expected = key == "supernet.checkpoint"
                    ? "an existing checkpoint; run `dotnet hwnas train` to create it"
                    : "an existing file or folder";
                Report(ConfigDiagnosticCodes.MissingReferencedFile, at, key, $"'{key}' names '{path}', which does not exist", expected);
            }
        }
    }

    [GeneratedRegex(@"^\s*>=\s*(?<value>\S+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ThresholdPattern();

    [GeneratedRegex(@"^\s*(?:<=\s*)?(?<value>[0-9.eE+-]+)\s*(?<unit>[A-Za-z]+)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CeilingPattern();

}

/// <summary>A valid value read from the configuration, with where it was written.</summary>
/// <param name="Value">The value (long, double, bool, string, TimeSpan, lists, or <see cref="FamilySettings"/>).</param>
/// <param name="At">Where the value was written.</param>
internal sealed record ReadValue(object Value, SourceLocation At);
