namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Outputs are written into a temporary folder beside the target and moved into place only when all are written,
/// so a failure never leaves half-written outputs over good ones.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private bool _committed;

    public OutputFolder(string target)
    {
        Target = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(Target) ?? Target;
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(Target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>The folder the outputs end up in.</summary>
    public string Target { get; }

    /// <summary>The temporary folder outputs are written to first.</summary>
    public string Staging { get; }

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

        _committed = true;
        Directory.Delete(Staging, recursive: true);
        return moved;
    }

    /// <summary>Removes the staging folder if nothing was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }
}
