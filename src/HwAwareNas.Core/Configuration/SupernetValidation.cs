using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// Checks the <c>supernet:</c> section against what the later stages build from it: the family must accept its
/// settings, and a checkpoint already trained must be for the same super-network (by its training record). The loader
/// runs it, so that <c>validate</c>, the MSBuild task and every command refuse such a file with located diagnostics
/// instead of failing after loading data or searching.
/// </summary>
internal static class SupernetValidation
{
    private const string SettingsKey = "supernet.settings";

    /// <summary>Reports the section's problems to <paramref name="reader"/>.</summary>
    public static void Check(ConfigReader reader, SupernetOptions supernet, ConfigLoadOptions options)
    {
        // A section with mistakes of its own (a missing family, a bad input) or none at all cannot make a family to check.
        string[] required = ["supernet.family", "supernet.input", "supernet.classes"];
        if (!required.All(reader.Values.ContainsKey)
            || reader.Diagnostics.Any(d => d.Key.StartsWith("supernet", StringComparison.Ordinal) && d.Key != "supernet.checkpoint")
            || FamilyOf(reader, supernet) is not { } family)
        {
            return;
        }

        if (supernet.Checkpoint.Length > 0 && reader.Diagnostics.All(d => d.Key != "supernet.checkpoint"))
        {
            CheckTrainingRecord(reader, supernet.Checkpoint, family, options);
        }
    }

    private static IElasticFamily? FamilyOf(ConfigReader reader, SupernetOptions supernet)
    {
        var settings = supernet.Settings;

        // Families read setting names ignoring case, so two spellings of one name would be one setting given twice.
        var repeated = settings.Names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            var second = repeated.Skip(1).First();
            reader.Report(ConfigDiagnosticCodes.InvalidFamilySetting, LocationOf(reader, second), $"{SettingsKey}.{second}",
                $"family setting '{second}' repeats '{repeated.First()}' (setting names ignore case)", "each setting once");
            return null;
        }

        try
        {
            return supernet.CreateFamily();
        }
        catch (FamilySettingsException e)
        {
            foreach (var problem in e.Problems)
            {
                var setting = problem.Settings.Select(s => Written(settings, s)).FirstOrDefault(s => s is not null);
                var key = setting is null ? SettingsKey : $"{SettingsKey}.{setting}";
                reader.Report(ConfigDiagnosticCodes.InvalidFamilySetting, LocationOf(reader, setting), key, problem.Message, problem.Expected);
            }
        }
        catch (HwNasException e)
        {
            // A family registered at start-up may reject its settings without naming one.
            reader.Report(ConfigDiagnosticCodes.InvalidFamilySetting, LocationOf(reader, null), SettingsKey,
                e.Message.TrimEnd('.'), $"settings the {ConfigChoices.Format(supernet.Family)} family accepts");
        }

        return null;
    }

    private static void CheckTrainingRecord(ConfigReader reader, string checkpoint, IElasticFamily family, ConfigLoadOptions options)
    {
        var recordPath = CheckpointRecord.PathFor(checkpoint);

        // At the path, as a missing checkpoint is.
        var checkpointAt = reader.Values.TryGetValue("supernet.checkpoint", out var written) ? written.At : LocationOf(reader, "supernet.checkpoint");
        if (!File.Exists(recordPath))
        {
            // Before training neither file exists; weights without their record cannot be loaded by any stage.
            if (options.CheckFiles && File.Exists(checkpoint))
            {
                reader.Report(ConfigDiagnosticCodes.MissingReferencedFile, checkpointAt, "supernet.checkpoint",
                    $"the checkpoint '{checkpoint}' has no training record '{recordPath}'",
                    "the .json record training writes beside the checkpoint; copy both together, or retrain with `dotnet hwnas train`");
            }

            return;
        }

        if (!options.CompareCheckpoint)
        {
            return;
        }

        if (CheckpointRecord.TryRead(recordPath, out var problem) is not { } record)
        {
            reader.Report(ConfigDiagnosticCodes.CorruptReferencedFile, checkpointAt, "supernet.checkpoint",
                $"the checkpoint's training record '{recordPath}' cannot be read: {problem.TrimEnd('.')}",
                "the .json record training writes beside the checkpoint; copy both together, or retrain with `dotnet hwnas train`");
            return;
        }

        const string Retrain = "retrain with `dotnet hwnas train`";
        if (!string.Equals(record.Family, family.Family, StringComparison.OrdinalIgnoreCase))
        {
            Mismatch(reader, "supernet.family", $"'supernet.family' is {family.Family}, but the checkpoint '{checkpoint}' holds a {record.Family} super-network",
                $"family: {record.Family}, or {Retrain}");
        }
        else if (record.Settings != family.SettingsText)
        {
            Mismatch(reader, SettingsKey,
                $"the {family.Family} settings differ from those the checkpoint '{checkpoint}' was trained with: {SettingDifferences(family.SettingsText, record.Settings)}",
                $"settings that give {record.Settings}, or {Retrain}");
        }

        int[] input = [family.Input.Channels, family.Input.Height, family.Input.Width];
        if (!record.Input.SequenceEqual(input))
        {
            Mismatch(reader, "supernet.input", $"'supernet.input' is [{string.Join(", ", input)}], but the checkpoint '{checkpoint}' was trained on [{string.Join(", ", record.Input)}]",
                $"input: [{string.Join(", ", record.Input)}], or {Retrain}");
        }

        if (record.Classes != family.Classes)
        {
            Mismatch(reader, "supernet.classes", string.Create(CultureInfo.InvariantCulture, $"'supernet.classes' is {family.Classes}, but the checkpoint '{checkpoint}' was trained for {record.Classes}"),
                string.Create(CultureInfo.InvariantCulture, $"classes: {record.Classes}, or {Retrain}"));
        }
    }

    private static void Mismatch(ConfigReader reader, string key, string message, string expected) =>
        reader.Report(ConfigDiagnosticCodes.CheckpointMismatch, LocationOf(reader, key), key, message, expected);

    // Names only the settings whose values differ, e.g. "width 1 (checkpoint: 0.5)"; both texts are the family's own.
    private static string SettingDifferences(string configured, string trained)
    {
        Dictionary<string, string> mine, theirs;
        try
        {
            mine = new(FamilySettingsReader.Split(configured), StringComparer.OrdinalIgnoreCase);
            theirs = new(FamilySettingsReader.Split(trained), StringComparer.OrdinalIgnoreCase);
        }
        catch (HwNasException)
        {
            return $"{configured} (checkpoint: {trained})";
        }

        var names = mine.Keys.Union(theirs.Keys, StringComparer.OrdinalIgnoreCase);
        return string.Join(", ", names
            .Where(n => mine.GetValueOrDefault(n) != theirs.GetValueOrDefault(n))
            .Select(n => $"{n} {mine.GetValueOrDefault(n) ?? "unset"} (checkpoint: {theirs.GetValueOrDefault(n) ?? "unset"})"));
    }

    // The setting's name as written in the file, when it was.
    private static string? Written(FamilySettings settings, string setting) =>
        settings.Names.FirstOrDefault(n => string.Equals(n, setting, StringComparison.OrdinalIgnoreCase));

    // A setting's key, else the key or section it belongs to (supernet.settings falls back to supernet:).
    private static SourceLocation LocationOf(ConfigReader reader, string? keyOrSetting)
    {
        var key = keyOrSetting switch
        {
            null => SettingsKey,
            _ when keyOrSetting.StartsWith("supernet.", StringComparison.Ordinal) => keyOrSetting,
            _ => $"{SettingsKey}.{keyOrSetting}",
        };
        return new ConfigLocations(reader.DisplayFile, reader.KeyLocations).Find(key);
    }
}
