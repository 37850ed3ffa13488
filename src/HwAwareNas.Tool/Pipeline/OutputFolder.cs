using System.Diagnostics;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Outputs are written into a temporary folder beside the target and moved into place only when all are written,
/// so a failure never leaves half-written outputs over good ones. The temporary folder (<c>.&lt;target&gt;.tmp-&lt;guid&gt;</c>)
/// is opened before the search, which checks that the outputs can be written at all, and holds a lock file for as
/// long as its run lives: a run killed with SIGKILL cannot remove its folder, so each new run removes the folders of
/// its target that no living run holds.
/// </summary>
internal sealed partial class OutputFolder : IDisposable
{
    private const string LockFileName = ".lock";

    private readonly FileStream _lock;

    private OutputFolder(string target, string root, FileStream runLock)
    {
        Target = target;
        Root = root;
        _lock = runLock;
        Staging = Path.Combine(root, "staging");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>The folder the outputs end up in.</summary>
    public string Target { get; }

    /// <summary>The temporary folder outputs are written to first.</summary>
    public string Staging { get; }

    /// <summary>This run's own folder beside the target: the lock file and <see cref="Staging"/>.</summary>
    private string Root { get; }

    /// <summary>
    /// Removes stale temporary folders of <paramref name="target"/> and opens this run's, checking that the target can
    /// be written.
    /// </summary>
    /// <exception cref="HwNasException"><see cref="ExitCode.NotAccessible"/>: the target or its parent cannot be written.</exception>
    public static OutputFolder Open(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full) ?? full;
        try
        {
            Directory.CreateDirectory(parent);
            RemoveStale(parent, Path.GetFileName(full));
            if (Directory.Exists(full))
            {
                // The staged files are moved into the target at the end; find out now, not after the search.
                var probe = Path.Combine(full, $".hwnas-probe-{Guid.NewGuid():N}");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            else if (File.Exists(full))
            {
                throw new IOException($"'{full}' is a file.");
            }

            var root = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
            Directory.CreateDirectory(root);
            var runLock = new FileStream(Path.Combine(root, LockFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            return new OutputFolder(full, root, runLock);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HwNasException(
                $"The output folder '{full}' cannot be written ({ex.Message}); set output.dir or -o to a folder you can write.",
                ExitCode.NotAccessible,
                ex);
        }
    }

    /// <summary>
    /// Moves every staged file into <see cref="Target"/> (replacing older ones) and deletes <paramref name="stale"/>
    /// outputs the staged set does not have (e.g. the model of an earlier run when none is feasible now).
    /// </summary>
    public IReadOnlyList<string> Commit(IEnumerable<string> stale)
    {
        ArgumentNullException.ThrowIfNull(stale);
        Directory.CreateDirectory(Target);
        var staged = Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories).ToList();
        var stagedNames = staged.Select(f => Path.GetRelativePath(Staging, f)).ToHashSet(StringComparer.Ordinal);
        var moved = new List<string>();
        foreach (var file in staged)
        {
            var destination = Path.Combine(Target, Path.GetRelativePath(Staging, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
            moved.Add(destination);
        }

        foreach (var name in stale)
        {
            var path = Path.Combine(Target, name);
            if (!stagedNames.Contains(name) && File.Exists(path))
            {
                File.Delete(path);
            }
        }

        return moved;
    }

    /// <summary>Releases the lock and removes this run's temporary folder, committed or not.</summary>
    public void Dispose()
    {
        _lock.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>
    /// Deletes the temporary folders of <paramref name="name"/> in <paramref name="parent"/> that no living run holds:
    /// their lock file can be locked (its run ended without cleaning up), or they have none (a run killed before it
    /// created it, or an older version's) and were last written before this process started. Other folders are never
    /// touched: only ours, by name.
    /// </summary>
    internal static void RemoveStale(string parent, string name)
    {
        var pattern = new Regex($"^\\.{Regex.Escape(name)}\\.tmp-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        var processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        foreach (var folder in Directory.EnumerateDirectories(parent, $".{name}.tmp-*"))
        {
            if (!pattern.IsMatch(Path.GetFileName(folder)) || !IsAbandoned(folder, processStart))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run removing the same leftover at the same time, or one we may not delete: not this run's problem.
            }
        }
    }

    private static bool IsAbandoned(string folder, DateTime processStart)
    {
        var lockPath = Path.Combine(folder, LockFileName);
        if (!File.Exists(lockPath))
        {
            return Directory.GetLastWriteTimeUtc(folder) < processStart;
        }

        try
        {
            // A living run holds this file open without sharing; the lock goes with its process, however it ended.
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Write, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
