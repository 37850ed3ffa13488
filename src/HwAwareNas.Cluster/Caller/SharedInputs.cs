using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Caller;

/// <summary>
/// Places a validation's inputs in the shared folder the caller and its validators see (<c>validation.remote.shared</c>),
/// each under its SHA-256. A copy already there with the right size is left alone (the validators hash what they read,
/// and refuse a copy that differs); one of another size, or none, is written beside and moved into place.
/// </summary>
internal static class SharedInputs
{
    /// <summary>Writes the inputs the folder lacks.</summary>
    /// <exception cref="HwNasException">The folder cannot be written (exit code 7).</exception>
    public static void Publish(string folder, IEnumerable<ValidationInput> inputs, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(files);
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var input in inputs.DistinctBy(i => i.Sha256))
            {
                var target = Path.Combine(folder, input.Sha256);
                if (File.Exists(target) && new FileInfo(target).Length == input.Length)
                {
                    continue;
                }

                var temporary = $"{target}.tmp-{Guid.NewGuid():N}";
                File.Copy(files[input.Role], temporary);
                File.Move(temporary, target, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HwNasException($"Cannot place the validation inputs in the shared folder '{folder}' (validation.remote.shared): {ex.Message}", ExitCode.NotAccessible, ex);
        }
    }
}
