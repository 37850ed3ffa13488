using System.ComponentModel.DataAnnotations;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas inspect</c>: prints the layer plan, parameter count and MACs of one sub-network of a family,
/// from the architecture alone (no weights, no libtorch).
/// </summary>
[Command("inspect", Description = "Print the layers, parameters and MACs of a sub-network.")]
internal sealed class InspectCommand : FamilyArguments
{
    /// <summary>Family name.</summary>
    [Required]
    [Option("--family <FAMILY>", Description = "Super-network family (mobilenetv3, resnet, transformer).")]
    public string Family { get; init; } = string.Empty;

    /// <summary>The genome: OFA-notation JSON, largest, smallest, random or random:SEED.</summary>
    [Required]
    [Option("--genome <GENOME>", Description = "OFA-notation JSON, largest, smallest, random or random:SEED.")]
    public string Genome { get; init; } = string.Empty;

    /// <summary>Whether to print one JSON object instead of a table.</summary>
    [Option("--json", Description = "Print one JSON object (params, macs, family, genome, layers).")]
    public bool Json { get; init; }

    // Bad arguments surface as HwNasException (BadConfig), which Program turns into the exit code.
    private int OnExecute(IConsole console)
    {
        var family = CreateFamily(Family);
        var genome = family.ParseGenome(Genome);
        console.Out.Write(Json ? SubnetPlanReport.ToJson(family, genome) + Environment.NewLine : SubnetPlanReport.ToText(family, genome));
        return (int)ExitCode.Success;
    }
}
