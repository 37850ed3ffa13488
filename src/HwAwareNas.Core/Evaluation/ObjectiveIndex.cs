using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Evaluation;

/// <summary>Looks objectives up by name.</summary>
public static class ObjectiveIndex
{
    /// <summary>
    /// The position of <paramref name="name"/> in <paramref name="objectives"/> (case-insensitive); throws
    /// <see cref="HwNasException"/> (<see cref="ExitCode.BadConfig"/>) when no objective has that name.
    /// </summary>
    public static int Of(IReadOnlyList<Objective> objectives, string name)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        for (var i = 0; i < objectives.Count; i++)
        {
            if (string.Equals(objectives[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new HwNasException(
            $"Unknown objective '{name}'; the objectives are: {string.Join(", ", objectives.Select(o => o.Name))}.",
            ExitCode.BadConfig);
    }
}
