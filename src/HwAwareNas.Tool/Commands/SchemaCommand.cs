using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>hwnas schema [-o file] [--markdown]</c>: prints the JSON Schema of hwnas.yaml (or its Markdown key reference),
/// generated from the loader's key table.
/// </summary>
[Command("schema", Description = "Print the JSON Schema of hwnas.yaml (for editors and CI), or its key reference as Markdown.")]
internal sealed class SchemaCommand
{
    /// <summary>The file to write instead of standard output.</summary>
    [Option("-o|--output <FILE>", Description = "Write the schema to FILE instead of standard output.")]
    public string? Output { get; init; }

    /// <summary>Whether to print the Markdown key reference instead of the schema.</summary>
    [Option("--markdown", Description = "Print the key reference as a Markdown table instead of the JSON Schema.")]
    public bool Markdown { get; init; }

    private int OnExecute(IConsole console)
    {
        var text = Markdown ? ConfigReference.ToMarkdown().TrimEnd() : ConfigSchema.Generate();
        if (Output is null)
        {
            console.Out.WriteLine(text);
            return (int)ExitCode.Success;
        }

        var target = Path.GetFullPath(Output);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text + Environment.NewLine);
        console.Out.WriteLine($"Wrote {target}");
        return (int)ExitCode.Success;
    }
}
