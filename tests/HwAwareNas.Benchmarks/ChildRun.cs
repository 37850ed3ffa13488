using System.Diagnostics;
using System.Globalization;

namespace HwAwareNas.Benchmarks;

/// <summary>What a child process did: exit code, wall time and peak resident memory.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Wall">Wall-clock time from start to exit.</param>
/// <param name="PeakRssBytes">Peak resident set size (Linux VmHWM, sampled every 50 ms); 0 where unknown.</param>
internal sealed record ChildRun(int ExitCode, TimeSpan Wall, long PeakRssBytes)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/>, output to <paramref name="logPath"/>, or only standard error
    /// there and standard output to <paramref name="outputPath"/> when given (a <c>--json</c> document to parse). The peak
    /// is the last VmHWM read before exit: it is monotonic, so at most the final poll interval's growth is missed.
    /// </summary>
    public static async Task<ChildRun> DotnetAsync(
        IReadOnlyList<string> arguments, string workingDirectory, string logPath, CancellationToken cancellationToken, string? outputPath = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Plain progress lines (the tool rewrites lines in place only on a terminal).
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        await using var log = new StreamWriter(logPath);
        await using var output = outputPath is null ? null : new StreamWriter(outputPath);
        var gate = new Lock();
        void Write(StreamWriter writer, string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    writer.WriteLine(line);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => Write(output ?? log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        var statusPath = string.Create(CultureInfo.InvariantCulture, $"/proc/{process.Id}/status");
        try
        {
            while (!process.HasExited)
            {
                peak = Math.Max(peak, ReadHighWaterMark(statusPath));
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new ChildRun(process.ExitCode, clock.Elapsed, peak);
    }

    /// <summary>This process's own peak resident set size (VmHWM), in bytes; 0 where unknown.</summary>
    public static long OwnPeakRssBytes() => ReadHighWaterMark("/proc/self/status");

    private static long ReadHighWaterMark(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
