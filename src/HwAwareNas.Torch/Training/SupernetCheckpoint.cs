using System.Security.Cryptography;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HwAwareNas.Torch.Training;

/// <summary>
/// A super-network checkpoint on disk: the weights file the configuration names (TorchSharp's state-dict format, so any
/// later stage loads it with <c>Module.load</c>), a resume file (<c>&lt;checkpoint&gt;.resume</c>: optimiser state and
/// progress) and the JSON sidecar. Every file is written to a temporary name and renamed, so an interrupted write never
/// leaves a torn checkpoint.
/// </summary>
public static class SupernetCheckpoint
{
    private const string ResumeMagic = "HWNAS-RESUME-1";

    /// <summary>The resume file of a checkpoint.</summary>
    public static string ResumePathFor(string checkpointPath) => checkpointPath + ".resume";

    /// <summary>Writes weights, optimiser state and the record (with the weights' hash filled in).</summary>
    public static TrainingRecord Write(string checkpointPath, Module module, OptimizerHelper optimizer, TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(record);
        var folder = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        Directory.CreateDirectory(folder);

        // All three files are written under temporary names first and renamed together, so a crash leaves either the
        // previous epoch's set or the new one (short of the three renames themselves).
        var resumePath = ResumePathFor(checkpointPath);
        WriteTemporary(resumePath, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(ResumeMagic);
            writer.Write(record.CompletedEpochs);
            writer.Write(record.CompletedSteps);
            writer.Write(record.Recipe.Seed);
            optimizer.save_state_dict(writer);
        });
        WriteTemporary(checkpointPath, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            module.save(writer);
        });
        var finished = record with { WeightsSha256 = HashOf(TemporaryPath(checkpointPath)) };
        var recordPath = TrainingRecord.PathFor(checkpointPath);
        WriteTemporary(recordPath, stream => stream.Write(Encoding.UTF8.GetBytes(finished.ToJson())));
        foreach (var path in new[] { resumePath, checkpointPath, recordPath })
        {
            File.Move(TemporaryPath(path), path, overwrite: true);
        }

        return finished;
    }

    /// <summary>Loads the weights of <paramref name="checkpointPath"/> into <paramref name="module"/>.</summary>
    public static void LoadWeights(string checkpointPath, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!File.Exists(checkpointPath))
        {
            throw new HwNasException($"Super-network checkpoint not found: {checkpointPath}", ExitCode.MissingInput);
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(checkpointPath));
            module.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            throw new HwNasException(
                $"Super-network checkpoint {checkpointPath} is corrupt or does not match the configured family and settings: {e.Message}",
                ExitCode.MissingInput, e);
        }
    }

    /// <summary>
    /// Loads a checkpoint to resume training: weights into <paramref name="module"/>, optimiser state into
    /// <paramref name="optimizer"/>; returns the record (finished epochs and steps).
    /// </summary>
    public static TrainingRecord LoadForResume(string checkpointPath, Module module, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var record = TrainingRecord.Read(checkpointPath);
        LoadWeights(checkpointPath, module);
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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
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

    private static string TemporaryPath(string path) => path + ".tmp";

    private static void WriteTemporary(string path, Action<Stream> write)
    {
        using var stream = new FileStream(TemporaryPath(path), FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }
}
