using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using HwAwareNas.Cluster.Agent;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Cluster.Security;
using HwAwareNas.Cluster.Validator;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.Extensions.Hosting;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Cluster.Commands;

/// <summary>
/// <c>hwnas agent</c> (also the <c>hwnas-agent</c> tool): runs a device agent, an Orleans silo on the target device
/// that measures ONNX models with ONNX Runtime for callers holding a certificate of the fleet's authority; or, with
/// <c>--role validator</c> (the full tool only), a validator silo that validates sub-networks' accuracy for them.
/// </summary>
[Command("agent", Description = "Run a device agent: an Orleans silo on the target device that measures ONNX models for hwnas callers (mutual TLS); with --role validator, a validator silo that validates sub-networks' accuracy (hwnas only, not hwnas-agent).")]
[Subcommand(typeof(AgentCertsCommand))]
public sealed class AgentCommand
{
    /// <summary>The line an agent prints once it serves callers (tests and scripts wait for it).</summary>
    public const string ReadyLine = "hwnas agent ready";

    /// <summary>Device kind.</summary>
    [Option("--kind <KIND>", Description = "Device kind this agent measures for, e.g. pi4 (callers name it in device.remote.kind); not for validators.")]
    public string? Kind { get; init; }

    /// <summary>What the agent does.</summary>
    [Option("--role <ROLE>", Description = "measure (default: a device agent) or validator (accuracy of sub-networks for callers' validation.remote; needs TorchSharp: hwnas only, hwnas-agent exits 2).")]
    public string Role { get; init; } = AgentKey.MeasureRole;

    /// <summary>Threads of a validator.</summary>
    [Option("--threads <N>", Description = "Threads a validator's TorchSharp and ONNX Runtime work uses (default: all cores).")]
    public int? Threads { get; init; }

    /// <summary>A validator's input cache.</summary>
    [Option("--cache-dir <DIR>", Description = "Folder a validator keeps the checkpoints and datasets it was sent in, by SHA-256 (default: $XDG_CACHE_HOME/hwnas/validator, or ~/.cache/hwnas/validator).")]
    public string? CacheFolder { get; init; }

    /// <summary>Agent id.</summary>
    [Option("--id <ID>", Description = "This agent's id, unique in the cluster (default: <host name>-<port>).")]
    public string? Id { get; init; }

    /// <summary>Address to bind.</summary>
    [Option("--listen <IP>", Description = "Address to listen on and advertise (default: 127.0.0.1; a device in a fleet needs its network address).")]
    public string Listen { get; init; } = "127.0.0.1";

    /// <summary>Gateway port.</summary>
    [Option("--port <PORT>", Description = "Port callers connect to (default: 30000).")]
    public int Port { get; init; } = 30000;

    /// <summary>Silo port.</summary>
    [Option("--silo-port <PORT>", Description = "Port the other agents of a cluster connect to (default: 11111).")]
    public int SiloPort { get; init; } = 11111;

    /// <summary>Environment variable holding the Redis connection string.</summary>
    [Option("--redis-env <VAR>", Description = "Environment variable holding the Redis connection string of the fleet's membership store (none: this agent is its own cluster, reached by --listen:--port).")]
    public string? RedisEnvironmentVariable { get; init; }

    /// <summary>Cluster id.</summary>
    [Option("--cluster-id <ID>", Description = "Cluster id shared with the callers (default: hwnas).")]
    public string ClusterId { get; init; } = ClusterNames.DefaultClusterId;

    /// <summary>Certificate file.</summary>
    [Option("--certificate <PFX>", Description = "PKCS#12 file with this agent's certificate and key ('hwnas agent certs' makes one).")]
    public string? Certificate { get; init; }

    /// <summary>Environment variable holding the certificate's password.</summary>
    [Option("--password-env <VAR>", Description = "Environment variable holding the certificate file's password (none: no password).")]
    public string? PasswordEnvironmentVariable { get; init; }

    /// <summary>Authority file.</summary>
    [Option("--ca <PEM>", Description = "The fleet authority's certificate (ca.pem): only callers with a certificate it issued are served.")]
    public string? Authority { get; init; }

    /// <summary>Largest model accepted.</summary>
    [Option("--max-model-mb <MB>", Description = "Largest model accepted, in MB (default: 64).")]
    public double MaxModelMegabytes { get; init; } = 64;

    /// <summary>Model cache size.</summary>
    [Option("--cache-mb <MB>", Description = "Size of the content-addressed model cache, in MB (default: 512).")]
    public double CacheMegabytes { get; init; } = 512;

    /// <summary>Runs the agent until it is stopped (Ctrl+C, SIGTERM).</summary>
    public async Task<int> OnExecuteAsync(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        using var stop = new CancellationTokenSource();
        var cancellationToken = stop.Token;
        console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        var settings = Settings();
        settings.Validate();
        var validator = settings.IsValidator ? ValidatorSupport.Factory!(settings.Threads) : null;
        using var loaded = validator as IDisposable;
        using var tls = TlsIdentity.Load(settings.Tls);
        using var host = AgentHost.Build(settings, tls, validator);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new HwNasException($"The agent could not start: {ex.Message}", ExitCode.Failure, ex);
        }

        var membership = settings.Redis is null ? "its own cluster (no membership store)" : "the Redis membership store";
        var validating = settings.IsValidator ? string.Create(CultureInfo.InvariantCulture, $", {settings.Threads} threads, inputs cached in {settings.CacheFolder}") : string.Empty;
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"agent {settings.SiloName}{validating}: gateway {settings.Listen}:{settings.GatewayPort}, silo port {settings.SiloPort}, cluster '{settings.ClusterId}' in {membership}"));
        console.Out.WriteLine(
            $"device: {Core.Results.DeviceFingerprint.ReadCpuModel()}, {Environment.ProcessorCount} cores, {HostFacts.Architecture}, " +
            $"onnxruntime {OrtEnv.Instance().GetVersionString()} ({string.Join(", ", HostFacts.Providers())}), governor {HostFacts.CpuGovernor()}");
        console.Out.WriteLine(ReadyLine);
        console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: leave the cluster cleanly.
        }

        await host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return (int)ExitCode.Success;
    }

    private AgentSettings Settings()
    {
        var validator = Role == AgentKey.ValidatorRole;
        if (!validator && Role != AgentKey.MeasureRole)
        {
            throw new HwNasException($"--role '{Role}' is neither {AgentKey.MeasureRole} nor {AgentKey.ValidatorRole}.", ExitCode.BadConfig);
        }

        if (validator && ValidatorSupport.Factory is null)
        {
            throw new HwNasException(
                "--role validator needs TorchSharp (BatchNorm re-calibration), which this agent does not carry: run 'hwnas agent --role validator' from the full hwnas tool.",
                ExitCode.BadConfig);
        }

        if (validator && Kind is not null)
        {
            throw new HwNasException("--kind names a device kind to measure for; a validator has none (drop --kind or --role validator).", ExitCode.BadConfig);
        }

        if (!validator && string.IsNullOrWhiteSpace(Kind))
        {
            throw new HwNasException("--kind is required: the device kind this agent measures for, e.g. --kind pi4.", ExitCode.BadConfig);
        }

        if (Certificate is null || Authority is null)
        {
            throw new HwNasException("--certificate and --ca are required: an agent serves only callers of its fleet's authority ('hwnas agent certs' makes them).", ExitCode.BadConfig);
        }

        if (!IPAddress.TryParse(Listen, out var listen))
        {
            throw new HwNasException($"--listen '{Listen}' is not an IP address.", ExitCode.BadConfig);
        }

        string? redis = null;
        if (RedisEnvironmentVariable is { } variable)
        {
            redis = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(redis))
            {
                throw new HwNasException($"--redis-env names '{variable}', which is not set.", ExitCode.BadConfig);
            }
        }

        return new AgentSettings(
            Kind ?? string.Empty,
            Id ?? string.Create(CultureInfo.InvariantCulture, $"{Dns.GetHostName()}-{Port}"),
            listen,
            Port,
            SiloPort,
            redis,
            ClusterId,
            new TlsFiles(Path.GetFullPath(Certificate), PasswordEnvironmentVariable, Path.GetFullPath(Authority)),
            (long)(MaxModelMegabytes * 1e6),
            (long)(CacheMegabytes * 1e6),
            Role,
            Threads ?? Environment.ProcessorCount,
            Path.GetFullPath(CacheFolder ?? DefaultCacheFolder()));
    }

    private static string DefaultCacheFolder()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "hwnas", "validator");
    }
}

/// <summary><c>hwnas agent certs</c>: makes the fleet's certificate authority (once) and certificates it issues.</summary>
[Command("certs", Description = "Create the fleet's certificate authority (ca.pem, ca.key.pem) in a folder, once, and issue PKCS#12 certificates for agents and callers.")]
public sealed class AgentCertsCommand
{
    /// <summary>Folder of the authority and certificates.</summary>
    [Option("--dir <DIR>", Description = "Folder of the authority and the issued certificates (default: certs).")]
    public string Folder { get; init; } = "certs";

    /// <summary>Names to issue certificates for.</summary>
    [Option("--issue <NAME>", Description = "Issue <NAME>.pfx (repeatable), e.g. --issue agent --issue caller.")]
    public string[] Names { get; init; } = [];

    /// <summary>Environment variable holding the password of the issued files.</summary>
    [Option("--password-env <VAR>", Description = "Environment variable holding the password to protect the issued .pfx files with (none: no password).")]
    public string? PasswordEnvironmentVariable { get; init; }

    /// <summary>Validity of issued certificates.</summary>
    [Option("--days <DAYS>", Description = "Days the issued certificates are valid (default: 365).")]
    public int Days { get; init; } = 365;

    /// <summary>Creates the authority if needed and issues the certificates.</summary>
    public int OnExecute(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        string? password = null;
        if (PasswordEnvironmentVariable is { } variable)
        {
            password = Environment.GetEnvironmentVariable(variable)
                ?? throw new HwNasException($"--password-env names '{variable}', which is not set.", ExitCode.BadConfig);
        }

        if (Days < 1)
        {
            throw new HwNasException("--days must be at least 1.", ExitCode.BadConfig);
        }

        using var authority = CertificateAuthority.OpenOrCreate(Folder);
        console.Out.WriteLine($"authority: {Path.Combine(Folder, CertificateAuthority.CertificateFile)} (keep {CertificateAuthority.KeyFile} private)");
        foreach (var name in Names)
        {
            var path = Path.Combine(Folder, name + ".pfx");
            authority.Issue(name, path, password, TimeSpan.FromDays(Days));
            console.Out.WriteLine($"issued: {path}");
        }

        return (int)ExitCode.Success;
    }
}
