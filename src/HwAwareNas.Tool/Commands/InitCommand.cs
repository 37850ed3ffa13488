using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary><c>hwnas init [folder]</c>: writes a commented hwnas.yaml documenting every key.</summary>
[Command("init", Description = "Write a commented hwnas.yaml (every key, its meaning, default and unit) into a folder.")]
internal sealed class InitCommand
{
    private const string TemplateResource = "HwAwareNas.Tool.hwnas.yaml.example";

    /// <summary>The folder to write into.</summary>
    [Argument(0, "folder", Description = "Folder to write hwnas.yaml into (default: the current folder).")]
    public string? Folder { get; init; }

    /// <summary>Whether an existing hwnas.yaml is overwritten.</summary>
    [Option("-f|--force", Description = "Overwrite an existing hwnas.yaml.")]
    public bool Force { get; init; }

    /// <summary>The template text: the repository's hwnas.yaml.example, embedded at build time.</summary>
    public static string Template()
    {
        using var stream = typeof(InitCommand).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The embedded resource {TemplateResource} is missing from the tool.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private int OnExecute(IConsole console)
    {
        var folder = Path.GetFullPath(Folder ?? Directory.GetCurrentDirectory());
        var target = Path.Combine(folder, ConfigKeys.DefaultFileName);
        if (File.Exists(target) && !Force)
        {
            throw new HwNasException($"'{target}' already exists; pass --force to overwrite it", ExitCode.Failure);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(target, Template());
        console.Out.WriteLine($"Wrote {target}. Edit it, then run `dotnet hwnas validate`.");
        return (int)ExitCode.Success;
    }
}
