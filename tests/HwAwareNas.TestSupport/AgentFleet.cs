using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HwAwareNas.TestSupport;

/// <summary>
/// Real device-agent processes on loopback for tests and benchmarks: a certificate authority made by
/// <c>hwnas-agent certs</c> (plus a second, untrusted one), optionally a real <c>redis-server</c> on a free port, and
/// <c>hwnas-agent</c> processes of chosen kinds, each optionally pinned to one core with <c>taskset</c>. Everything it
/// starts is killed at dispose.
/// </summary>
public sealed class AgentFleet : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<AgentProcess> _agents = [];
    private readonly TempFolder _folder = new();
    private Process? _redis;

    private AgentFleet()
    {
    }

    /// <summary>Folder of the fleet's certificates.</summary>
    public string CertificatesFolder => System.IO.Path.Combine(_folder.Path, "certs");

    /// <summary>The fleet authority's certificate.</summary>
    public string AuthorityPem => System.IO.Path.Combine(CertificatesFolder, "ca.pem");

    /// <summary>A caller certificate issued by the fleet's authority.</summary>
    public string CallerPfx => System.IO.Path.Combine(CertificatesFolder, "caller.pfx");

    /// <summary>A caller certificate issued by another authority, which agents must refuse.</summary>
    public string IntruderPfx => System.IO.Path.Combine(_folder.Path, "other-certs", "intruder.pfx");

    /// <summary>The other authority's certificate (what an intruder trusts).</summary>
    public string IntruderAuthorityPem => System.IO.Path.Combine(_folder.Path, "other-certs", "ca.pem");

    /// <summary>Redis connection string (host:port), or null without Redis.</summary>
    public string? Redis { get; private set; }

    /// <summary>A scratch folder that lives as long as the fleet.</summary>
    public TempFolder Folder => _folder;

    /// <summary>The agents started so far.</summary>
    public IReadOnlyList<AgentProcess> Agents => _agents;

    /// <summary>Path of the built <c>hwnas-agent.dll</c>, found from the repository root and this build's configuration.</summary>
    public static string AgentAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = System.IO.Path.Combine(RepositoryRoot(), "src", "HwAwareNas.Agent", "bin", configuration, "net10.0", "hwnas-agent.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/HwAwareNas.Agent first ({configuration}).", path);
        }
    }

    /// <summary>Makes the certificates and, with <paramref name="withRedis"/>, starts a Redis on a free loopback port.</summary>
    public static async Task<AgentFleet> StartAsync(bool withRedis)
    {
        var fleet = new AgentFleet();
        try
        {
            await RunToEndAsync("certs", "--dir", fleet.CertificatesFolder, "--issue", "agent", "--issue", "caller").ConfigureAwait(false);
            await RunToEndAsync("certs", "--dir", System.IO.Path.GetDirectoryName(fleet.IntruderPfx)!, "--issue", "intruder").ConfigureAwait(false);
            if (withRedis)
            {
                var port = FreePort();
                fleet._redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }) ?? throw new InvalidOperationException("redis-server did not start.");
                fleet._redis.OutputDataReceived += (_, _) => { };
                fleet._redis.BeginOutputReadLine();
                fleet.Redis = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
                await WaitForPortAsync(port).ConfigureAwait(false);
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts an agent of <paramref name="kind"/> and waits until it serves callers. With Redis it joins the fleet's
    /// cluster; without, it is its own cluster at <see cref="AgentProcess.Gateway"/>.
    /// </summary>
    /// <param name="kind">Device kind.</param>
    /// <param name="id">Agent id.</param>
    /// <param name="core">Core to pin it to (taskset), or null.</param>
    /// <param name="maxModelMegabytes">Its model size limit, or null for the default.</param>
    /// <param name="certificate">Its certificate (default: the fleet's agent certificate).</param>
    public async Task<AgentProcess> StartAgentAsync(string kind, string id, int? core = null, double? maxModelMegabytes = null, string? certificate = null)
    {
        var gateway = FreePort();
        var silo = FreePort();
        List<string> args =
        [
            AgentAssembly, "--kind", kind, "--id", id, "--port", gateway.ToString(CultureInfo.InvariantCulture),
            "--silo-port", silo.ToString(CultureInfo.InvariantCulture),
            "--certificate", certificate ?? System.IO.Path.Combine(CertificatesFolder, "agent.pfx"), "--ca", AuthorityPem,
        ];
        if (maxModelMegabytes is { } limit)
        {
            args.AddRange(["--max-model-mb", limit.ToString(CultureInfo.InvariantCulture)]);
        }

        return await StartAsync(kind, id, gateway, args, core).ConfigureAwait(false);
    }

    /// <summary>Path of the built full tool (<c>HwAwareNas.Tool.dll</c>, which hosts validators), found like <see cref="AgentAssembly"/>.</summary>
    public static string ToolAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = System.IO.Path.Combine(RepositoryRoot(), "src", "HwAwareNas.Tool", "bin", configuration, "net10.0", "HwAwareNas.Tool.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/HwAwareNas.Tool first ({configuration}).", path);
        }
    }

    /// <summary>
    /// Starts a validator (<c>hwnas agent --role validator</c> of the full tool) with <paramref name="threads"/> threads and
    /// waits until it serves callers; with Redis it joins the fleet's cluster. Its input cache is a folder of the fleet's.
    /// It runs in a session of its own (<c>setsid</c>), as a service would: with the kernel's autogroup scheduling, processes
    /// of one session share one group's CPU share, so two validators started from this process would otherwise get, on a
    /// loaded machine, the share of one (a validator on another machine competes on its own).
    /// </summary>
    /// <param name="id">Validator id.</param>
    /// <param name="core">Core to pin it to (taskset), or null.</param>
    /// <param name="threads">Its --threads.</param>
    /// <param name="clusterId">Its --cluster-id: validators of another id are a fleet of their own in the same Redis.</param>
    public async Task<AgentProcess> StartValidatorAsync(string id, int? core = null, int threads = 1, string clusterId = "hwnas")
    {
        var gateway = FreePort();
        var silo = FreePort();
        List<string> args =
        [
            ToolAssembly, "agent", "--role", "validator", "--id", id, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--cluster-id", clusterId,
            "--port", gateway.ToString(CultureInfo.InvariantCulture), "--silo-port", silo.ToString(CultureInfo.InvariantCulture),
            "--cache-dir", System.IO.Path.Combine(_folder.Path, "validator-cache", id),
            "--certificate", System.IO.Path.Combine(CertificatesFolder, "agent.pfx"), "--ca", AuthorityPem,
        ];
        return await StartAsync("validator", id, gateway, args, core, ownSession: true).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>validation</c> section of a config validating on the fleet's validators (through Redis, or one validator's
    /// gateway), with or without this machine validating too.
    /// </summary>
    public string ValidationYaml(
        bool local, string? validatorGateway = null, string? certificate = null, string? shared = null, string wait = "20s", string clusterId = "hwnas") =>
        $"""
        validation:
          local: {(local ? "true" : "false")}
          remote:
            {(validatorGateway is null ? $"redis: {Redis}" : $"agent: {validatorGateway}")}
            cluster_id: {clusterId}
            tls:
              certificate: {certificate ?? CallerPfx}
              ca: {AuthorityPem}
            wait: {wait}
            call_timeout: 2m
        {(shared is null ? string.Empty : $"    shared: {shared}")}
        """;

    private async Task<AgentProcess> StartAsync(string kind, string id, int gateway, List<string> args, int? core, bool ownSession = false)
    {
        // setsid and taskset exec what they run: the process started is the agent itself, and killing it kills the agent.
        List<string> command = core is { } c ? ["taskset", "-c", c.ToString(CultureInfo.InvariantCulture), "dotnet", .. args] : ["dotnet", .. args];
        if (ownSession)
        {
            command.Insert(0, "setsid");
        }

        var start = new ProcessStartInfo(command[0], command.Skip(1));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        if (Redis is not null)
        {
            start.ArgumentList.Add("--redis-env");
            start.ArgumentList.Add("HWNAS_TEST_REDIS");
            start.Environment["HWNAS_TEST_REDIS"] = Redis;
        }

        var agent = new AgentProcess(kind, id, $"127.0.0.1:{gateway.ToString(CultureInfo.InvariantCulture)}", Process.Start(start)!);
        _agents.Add(agent);
        await agent.WaitUntilReadyAsync(StartTimeout).ConfigureAwait(false);
        return agent;
    }

    /// <summary>The <c>device.remote</c> section of a profile measuring on <paramref name="kind"/> (through Redis, or one agent's gateway).</summary>
    public string RemoteYaml(string kind, string? agentGateway = null, string? certificate = null, string? authority = null, string wait = "20s", int modelsPerCall = 2) =>
        $"""
        remote:
          kind: {kind}
          {(agentGateway is null ? $"redis: {Redis}" : $"agent: {agentGateway}")}
          tls:
            certificate: {certificate ?? CallerPfx}
            ca: {authority ?? AuthorityPem}
          wait: {wait}
          call_timeout: 2m
          models_per_call: {modelsPerCall.ToString(CultureInfo.InvariantCulture)}
        """;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Kill();
        }

        if (_redis is { HasExited: false })
        {
            _redis.Kill(entireProcessTree: true);
            await _redis.WaitForExitAsync().ConfigureAwait(false);
        }

        _redis?.Dispose();
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        _folder.Dispose();
    }

    /// <summary>A free TCP port on loopback (free when asked; the OS does not hand it out again at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunToEndAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [AgentAssembly, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hwnas-agent {string.Join(' ', args)} exited {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (clock.Elapsed < StartTimeout)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HwAwareNas.Tool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (HwAwareNas.Tool.sln) is not above " + AppContext.BaseDirectory);
    }
}

/// <summary>One running <c>hwnas-agent</c> process and everything it printed.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AgentProcess(string kind, string id, string gateway, Process process)
    {
        Kind = kind;
        Id = id;
        Gateway = gateway;
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Device kind.</summary>
    public string Kind { get; }

    /// <summary>Agent id.</summary>
    public string Id { get; }

    /// <summary>host:port of its gateway.</summary>
    public string Gateway { get; }

    /// <summary>The process (for taskset-pinned agents, the taskset process that became the agent).</summary>
    public Process Process { get; }

    /// <summary>Everything the agent printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Kills the agent at once (SIGKILL), as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Process.Dispose();

    internal async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var exited = Process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (done != _ready.Task)
        {
            Kill();
            throw new InvalidOperationException($"Agent {Kind}/{Id} did not become ready ({(done == exited ? "it exited" : "timed out")}):\n{Log}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (line.Contains("hwnas agent ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
