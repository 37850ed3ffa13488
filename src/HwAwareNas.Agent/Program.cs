using HwAwareNas.Cluster.Commands;
using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Agent;

/// <summary>Entry point of <c>hwnas-agent</c>, the same agent as <c>hwnas agent</c> without the tool's libtorch.</summary>
internal static class Program
{
    /// <summary>Runs the agent (or <c>certs</c>); the exit code follows <see cref="ExitCode"/>.</summary>
    public static int Main(string[] args)
    {
        using var app = new CommandLineApplication<AgentCommand>();
        app.Name = "hwnas-agent";
        app.Conventions.UseDefaultConventions();
        try
        {
            return app.Execute(args);
        }
        catch (HwNasException ex)
        {
            Console.Error.WriteLine($"hwnas-agent: error: {ex.Message}");
            return (int)ex.ExitCode;
        }
        catch (CommandParsingException ex)
        {
            Console.Error.WriteLine($"hwnas-agent: error: {ex.Message}");
            return (int)ExitCode.BadConfig;
        }
    }
}
