using System.Reflection;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Cluster.Commands;
using HwAwareNas.Cluster.Validator;
using HwAwareNas.Tool.Commands;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Torch.Native;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool;

/// <summary>
/// <c>dotnet hwnas</c>: the entry point and the only place that turns exceptions into exit codes. A command is
/// one class with an <c>OnExecute</c>/<c>OnExecuteAsync</c> method returning an <see cref="ExitCode"/> as int,
/// listed in the <see cref="SubcommandAttribute"/> below.
/// </summary>
[Command("hwnas", Description = "Specializes a trained elastic super-network for the device a build targets.")]
[Subcommand(typeof(InitCommand), typeof(ValidateCommand), typeof(SchemaCommand), typeof(InspectCommand), typeof(ExportCommand), typeof(ImportCommand), typeof(TrainCommand), typeof(PredictorsCommand), typeof(OptimizeCommand), typeof(ProfileCommand), typeof(AgentCommand))]
[VersionOptionFromMember("--version", MemberName = nameof(InformationalVersion))]
[HelpOption("-h|--help", Inherited = true)]
public sealed class Program
{
    private const string VerboseName = "verbose";
    private const string VerboseTemplate = "--" + VerboseName;

    /// <summary>The tool's informational version (package version plus source revision when known).</summary>
    public static string InformationalVersion { get; } =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Program).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Whether unexpected errors print their stack trace.</summary>
    [Option(VerboseTemplate, Description = "Print stack traces of unexpected errors.", Inherited = true)]
    public bool Verbose { get; init; }

    /// <summary>Process entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The process exit code (see <see cref="ExitCode"/>).</returns>
    public static int Main(string[] args)
    {
        // Before any command can reach libtorch (see OneDnnIsaCap for the CPUs this protects).
        OneDnnIsaCap.Apply();
        return Run(args, PhysicalConsole.Singleton);
    }

    /// <summary>Runs the tool with the given arguments and console; used by <see cref="Main"/> and by tests.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="console">Where output, errors and Ctrl+C come from.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);

        // This tool carries TorchSharp, so 'hwnas agent --role validator' can validate (hwnas-agent cannot).
        ValidatorSupport.Factory ??= threads => new TorchSupernetValidator(threads);
        using var app = new CommandLineApplication<Program>(console);
        app.Conventions.UseDefaultConventions().AddConvention(new BadInputConvention());
        try
        {
            return app.Execute(args);
        }
        catch (Exception ex)
        {
            return Report(Unwrap(ex), console, app.Options.Any(o => o.LongName == VerboseName && o.HasValue()));
        }
    }

    private static Exception Unwrap(Exception ex) => ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;

    private static int Report(Exception error, IConsole console, bool verbose)
    {
        switch (error)
        {
            case HwNasException { Diagnostics.Count: > 0 } located:
                DiagnosticOutput.Write(console, located.Diagnostics);
                return (int)located.ExitCode;
            case HwNasException plain:
                console.Error.WriteLine($"hwnas: error: {plain.Message}");
                return (int)plain.ExitCode;
            case CommandParsingException parsing:
                console.Error.WriteLine($"hwnas: error: {parsing.Message}");
                var command = parsing.Command.Parent is null ? "hwnas" : $"hwnas {parsing.Command.Name}";
                console.Error.WriteLine($"Run '{command} --help' for usage.");
                return (int)ExitCode.BadConfig;
            case UnauthorizedAccessException denied:
                // A permission problem, not a bug: its message names the path, and it has its own exit code.
                console.Error.WriteLine($"hwnas: error: {denied.Message} Check the permissions of that path.");
                if (verbose)
                {
                    console.Error.WriteLine(denied.ToString());
                }

                return (int)ExitCode.NotAccessible;
            case OperationCanceledException:
                console.Error.WriteLine("hwnas: cancelled");
                return (int)ExitCode.Cancelled;
            default:
                console.Error.WriteLine($"hwnas: error: {error.GetType().Name}: {error.Message}");
                console.Error.WriteLine(verbose ? error.ToString() : $"(run with {VerboseTemplate} for the stack trace)");
                return (int)ExitCode.Failure;
        }
    }

    /// <summary>Without a command: show the help and fail, so a bare <c>hwnas</c> in a script is noticed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The library only invokes instance OnExecute methods.")]
    private int OnExecute(CommandLineApplication app)
    {
        app.ShowHelp();
        return (int)ExitCode.BadConfig;
    }
}
