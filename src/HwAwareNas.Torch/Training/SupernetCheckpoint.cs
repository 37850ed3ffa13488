using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Elastic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Training;

/// <summary>
/// A super-network checkpoint on disk: the weights file the configuration names (TorchSharp's state-dict format, so any
/// later stage loads it with <c>Module.load</c>), a resume file (<c>&lt;checkpoint&gt;.resume</c>: optimiser state and
/// progress) and the JSON sidecar (<see cref="TrainingRecord"/>). Every file is written to a temporary name and renamed,
/// so an interrupted write never leaves a torn checkpoint. Loading checks the sidecar's family, settings, input and
/// classes against the super-network and the weights' hash against the sidecar before reading any weights, so a
/// checkpoint trained for other settings, or a corrupt or foreign file, is refused with a clear message.
/// </summary>
public static class SupernetCheckpoint
{
    private const string ResumeMagic = "HWNAS-RESUME-1";

    /// <summary>The resume file of a checkpoint.</summary>
    public static string ResumePathFor(string checkpointPath) => checkpointPath + ".resume";

    /// <summary>
    /// Writes weights, optimiser state and the record (with the weights' hash filled in). Throws
    /// <see cref="ArgumentException"/> when <paramref name="record"/> describes another family, settings, input or
    /// classes than <paramref name="supernet"/>, since such a checkpoint could never be loaded back.
    /// </summary>
    public static TrainingRecord Write(string checkpointPath, ElasticSupernet supernet, OptimizerHelper optimizer, TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return WriteFiles(checkpointPath, supernet, record, writer =>
        {
            writer.Write(ResumeMagic);
            writer.Write(record.CompletedEpochs);
            writer.Write(record.CompletedSteps);
            writer.Write(record.Recipe.Seed);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>
    /// Writes weights and record of a super-network that was not trained here (an imported one): no resume file, and a
    /// stale one from an earlier checkpoint at the same path is removed. Throws as <see cref="Write"/> does.
    /// </summary>
    public static TrainingRecord WriteWithoutResume(string checkpointPath, ElasticSupernet supernet, TrainingRecord record)
    {
        var written = WriteFiles(checkpointPath, supernet, record, writeResume: null);
        File.Delete(ResumePathFor(checkpointPath));
        return written;
    }

    private static TrainingRecord WriteFiles(
        string checkpointPath, ElasticSupernet supernet, TrainingRecord record, Action<BinaryWriter>? writeResume)
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        if (record.KernelTransforms != supernet.KernelTransforms)
        {
            throw new ArgumentException("The training record and the super-network disagree on kernel transforms.", nameof(record));
        }

        var differences = Differences(record, supernet.Family);
        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"The training record does not describe the super-network being saved: {string.Join("; ", differences)}.", nameof(record));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        Directory.CreateDirectory(folder);

        // All files are written under temporary names first and renamed together, so a crash leaves either the
        // previous epoch's set or the new one (short of the renames themselves).
        var resumePath = ResumePathFor(checkpointPath);
        if (writeResume is not null)
        {
            WriteTemporary(resumePath, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writeResume(writer);
            });
        }

        WriteTemporary(checkpointPath, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            supernet.save(writer);
        });
        var finished = record with { WeightsSha256 = HashOf(TemporaryPath(checkpointPath)) };
        var recordPath = TrainingRecord.PathFor(checkpointPath);
        WriteTemporary(recordPath, stream => stream.Write(Encoding.UTF8.GetBytes(finished.ToJson())));
        foreach (var path in writeResume is null ? [checkpointPath, recordPath] : new[] { resumePath, checkpointPath, recordPath })
        {
            File.Move(TemporaryPath(path), path, overwrite: true);
        }

        return finished;
    }

    /// <summary>
    /// Loads the weights of <paramref name="checkpointPath"/> into <paramref name="supernet"/>. Throws
    /// <see cref="HwNasException"/>: <see cref="ExitCode.MissingInput"/> when the weights or their training record are
    /// missing, corrupt, foreign or do not match each other; <see cref="ExitCode.BadConfig"/> when the record's family,
    /// settings, input or classes differ from the super-network's (the configuration asks for another network).
    /// </summary>
    public static void LoadWeights(string checkpointPath, ElasticSupernet supernet) => LoadVerified(checkpointPath, supernet);

    /// <summary>
    /// Loads a checkpoint to resume training: weights into <paramref name="supernet"/> (checked as
    /// <see cref="LoadWeights"/> does), optimiser state into <paramref name="optimizer"/>; returns the record (finished
    /// epochs and steps).
    /// </summary>
    public static TrainingRecord LoadForResume(string checkpointPath, ElasticSupernet supernet, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var record = LoadVerified(checkpointPath, supernet);
        var resumePath = ResumePathFor(checkpointPath);
        if (!File.Exists(resumePath))
        {
            throw new HwNasException($"Cannot resume: the optimiser state {resumePath} is missing.", ExitCode.MissingInput);
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(resumePath), Encoding.UTF8);
            if (reader.ReadString() != ResumeMagic)
            {
                throw new FormatException("unknown resume file layout");
            }

            var epochs = reader.ReadInt32();
            var steps = reader.ReadInt64();
            var seed = reader.ReadInt32();
            if (epochs != record.CompletedEpochs || steps != record.CompletedSteps || seed != record.Recipe.Seed)
            {
                throw new FormatException("the resume file and the training record describe different runs");
            }

            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new HwNasException($"Cannot resume from {resumePath}: {e.Message}", ExitCode.MissingInput, e);
        }

        return record;
    }

    /// <summary>SHA-256 of a file, lower-case hex (identifies the weights for caches).</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // Checks run cheapest and most explanatory first: a missing file, the record against the configured network, the
    // weights against the record's hash, and only then TorchSharp's own parse of the weights.
    private static TrainingRecord LoadVerified(string checkpointPath, ElasticSupernet supernet)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(supernet);
        if (!File.Exists(checkpointPath))
        {
            throw new HwNasException(
                $"Super-network checkpoint not found: {checkpointPath}; train the super-network first (dotnet hwnas train).", ExitCode.MissingInput);
        }

        var record = TrainingRecord.Read(checkpointPath);
        var differences = Differences(record, supernet.Family);
        if (differences.Count > 0)
        {
            throw new HwNasException(
                $"Super-network checkpoint {checkpointPath} was trained for {Describe(record)}, but the configuration asks for "
                + $"{Describe(supernet.Family)} ({string.Join("; ", differences)}); retrain it or fix the configuration.",
                ExitCode.BadConfig);
        }

        // The network's layers come from the caller; one built without the record's kernel transforms is a caller bug.
        if (record.KernelTransforms != supernet.KernelTransforms)
        {
            throw new InvalidOperationException(
                $"Super-network checkpoint {checkpointPath} {(record.KernelTransforms ? "has" : "lacks")} kernel transforms; build the network to match its record.");
        }

        var hash = HashOf(checkpointPath);
        if (!string.Equals(hash, record.WeightsSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new HwNasException(
                $"Super-network checkpoint {checkpointPath} is corrupt or was replaced: its SHA-256 is {hash}, its training record "
                + $"{TrainingRecord.PathFor(checkpointPath)} expects '{record.WeightsSha256}'; copy or retrain the checkpoint and its record together.",
                ExitCode.MissingInput);
        }

        try
        {
            using var stream = File.OpenRead(checkpointPath);
            using var reader = new BinaryReader(stream);
            supernet.load(reader, strict: true);
            if (stream.Position != stream.Length)
            {
                throw new FormatException("unexpected data after the weights");
            }
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new HwNasException(
                $"Super-network checkpoint {checkpointPath} is corrupt or does not match the layers of {Describe(supernet.Family)}: {e.Message}",
                ExitCode.MissingInput, e);
        }

        return record;
    }

    // What reading a truncated, corrupt or mismatched state dict or optimiser state raises (TorchSharp reports native
    // failures as ExternalException); anything else is a bug and propagates.
    private static bool IsReadFailure(Exception e) =>
        e is IOException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException
            or OverflowException or ExternalException;

    private static List<string> Differences(TrainingRecord record, IElasticFamily family)
    {
        var differences = new List<string>();
        if (!string.Equals(record.Family, family.Family, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"family {record.Family} vs {family.Family}");
        }

        if (record.Settings != family.SettingsText)
        {
            differences.Add($"settings '{record.Settings}' vs '{family.SettingsText}'");
        }

        if (!(record.Input ?? []).SequenceEqual([family.Input.Channels, family.Input.Height, family.Input.Width]))
        {
            differences.Add($"input {InputText(record)} vs {family.Input}");
        }

        if (record.Classes != family.Classes)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"classes {record.Classes} vs {family.Classes}"));
        }

        return differences;
    }

    private static string Describe(TrainingRecord record) => string.Create(
        CultureInfo.InvariantCulture, $"{record.Family} ({record.Settings}), input {InputText(record)}, {record.Classes} classes");

    private static string Describe(IElasticFamily family) => string.Create(
        CultureInfo.InvariantCulture, $"{family.Family} ({family.SettingsText}), input {family.Input}, {family.Classes} classes");

    private static string InputText(TrainingRecord record) =>
        string.Join('x', (record.Input ?? []).Select(size => size.ToString(CultureInfo.InvariantCulture)));

    private static string TemporaryPath(string path) => path + ".tmp";

    private static void WriteTemporary(string path, Action<Stream> write)
    {
        using var stream = new FileStream(TemporaryPath(path), FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }
}
