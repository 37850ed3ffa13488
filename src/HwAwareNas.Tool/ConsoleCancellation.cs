using System.Runtime.InteropServices;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool;

/// <summary>
/// The one place a command turns Ctrl+C (SIGINT) and SIGTERM into a cancellation token. CI systems and service
/// managers stop a job with SIGTERM, so it is treated like Ctrl+C: the first signal is acknowledged at once on
/// standard error and cancels the token, and the command ends with <see cref="Core.Diagnostics.ExitCode.Cancelled"/>
/// through <see cref="Program"/>. A second signal is left to its default action and ends the process at once, which
/// the results store survives (every write is its own transaction).
/// </summary>
internal sealed class ConsoleCancellation : IDisposable
{
    private readonly IConsole _console;
    private readonly string _kept;
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    /// <summary>Starts listening; <paramref name="kept"/> tells the user what a cancelled run keeps.</summary>
    /// <param name="console">Where Ctrl+C comes from and the acknowledgement goes.</param>
    /// <param name="kept">E.g. "finished measurements stay in the results store".</param>
    public ConsoleCancellation(IConsole console, string kept)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _kept = kept;
        _console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Request("SIGTERM"));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>
    /// Handles one signal: the first cancels and is acknowledged; later ones are not intercepted (returns false).
    /// </summary>
    internal bool Request(string signal)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            return false;
        }

        _console.Error.WriteLine($"hwnas: {signal}: cancelling… {_kept}; press Ctrl+C again to stop at once.");
        _source.Cancel();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Request("Ctrl+C");
}
