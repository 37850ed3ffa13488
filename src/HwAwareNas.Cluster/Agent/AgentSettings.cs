using System.Net;
using System.Text.RegularExpressions;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Cluster.Agent;

/// <summary>How one agent process runs: who it is, where it listens, which cluster it joins, its TLS files and limits.</summary>
/// <param name="Kind">Device kind it measures for.</param>
/// <param name="AgentId">Its id, unique in the cluster.</param>
/// <param name="Listen">Address it binds to (and advertises): loopback unless told otherwise.</param>
/// <param name="GatewayPort">Port callers connect to.</param>
/// <param name="SiloPort">Port other cluster members connect to.</param>
/// <param name="Redis">Redis connection string of the membership store, or null: the agent is its own primary silo.</param>
/// <param name="ClusterId">Cluster id shared with the callers.</param>
/// <param name="Tls">Its certificate and the authority of the callers' certificates.</param>
/// <param name="MaxModelBytes">Largest model it accepts.</param>
/// <param name="CacheBytes">Total size of the model cache.</param>
/// <param name="Role">What it does: <see cref="AgentKey.MeasureRole"/> (a device agent) or <see cref="AgentKey.ValidatorRole"/>.</param>
/// <param name="Threads">Threads a validator validates with.</param>
/// <param name="CacheFolder">Where a validator keeps its inputs by SHA-256.</param>
internal sealed partial record AgentSettings(
    string Kind,
    string AgentId,
    IPAddress Listen,
    int GatewayPort,
    int SiloPort,
    string? Redis,
    string ClusterId,
    TlsFiles Tls,
    long MaxModelBytes,
    long CacheBytes,
    string Role = AgentKey.MeasureRole,
    int Threads = 1,
    string? CacheFolder = null)
{
    /// <summary>Whether this agent is a validator.</summary>
    public bool IsValidator => Role == AgentKey.ValidatorRole;

    /// <summary>The silo's name: <c>kind/id</c> for a device agent, <c>validator/id</c> for a validator.</summary>
    public string SiloName => AgentKey.Of(IsValidator ? AgentKey.ValidatorRole : Kind, AgentId);

    /// <summary>Checks names and numbers; throws with the option to fix.</summary>
    /// <exception cref="HwNasException">A setting is invalid (exit code 2).</exception>
    public void Validate()
    {
        var names = IsValidator ? new[] { ("--id", AgentId), ("--cluster-id", ClusterId) } : [("--kind", Kind), ("--id", AgentId), ("--cluster-id", ClusterId)];
        foreach (var (option, value) in names)
        {
            if (!Name().IsMatch(value))
            {
                throw new HwNasException($"{option} '{value}' must be 1-64 letters, digits, '.', '_' or '-'.", ExitCode.BadConfig);
            }
        }

        if (GatewayPort == SiloPort)
        {
            throw new HwNasException($"--port and --silo-port are both {GatewayPort}: the gateway and the silo need a port each.", ExitCode.BadConfig);
        }

        if (IsValidator && Threads < 1)
        {
            throw new HwNasException("--threads must be at least 1.", ExitCode.BadConfig);
        }

        if (MaxModelBytes < 1 || CacheBytes < MaxModelBytes)
        {
            throw new HwNasException("--max-model-mb must be positive and --cache-mb at least as large.", ExitCode.BadConfig);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Name();
}
