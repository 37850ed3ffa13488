using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.TestSupport;

/// <summary>
/// A console whose output and error streams are captured, so the real CLI runs in-process (and in parallel). Writes are
/// synchronized: progress lines and notices may come from other threads.
/// </summary>
public sealed class CapturedConsole : IConsole
{
    /// <summary>Captures into <paramref name="output"/> and <paramref name="error"/> (fresh writers when null).</summary>
    public CapturedConsole(StringWriter? output = null, StringWriter? error = null)
    {
        Output = output ?? new StringWriter();
        ErrorOutput = error ?? new StringWriter();
        Out = TextWriter.Synchronized(Output);
        Error = TextWriter.Synchronized(ErrorOutput);
    }

    /// <summary>Where standard output is captured.</summary>
    public StringWriter Output { get; }

    /// <summary>Where standard error is captured.</summary>
    public StringWriter ErrorOutput { get; }

    /// <summary>What was written to standard output so far (safe while the command still writes).</summary>
    public string OutText
    {
        get
        {
            lock (Out)
            {
                return Output.ToString();
            }
        }
    }

    /// <summary>What was written to standard error so far (safe while the command still writes).</summary>
    public string ErrorText
    {
        get
        {
            lock (Error)
            {
                return ErrorOutput.ToString();
            }
        }
    }

    /// <inheritdoc />
    public TextWriter Out { get; }

    /// <inheritdoc />
    public TextWriter Error { get; }

    /// <inheritdoc />
    public TextReader In => TextReader.Null;

    /// <inheritdoc />
    public bool IsInputRedirected => true;

    /// <inheritdoc />
    public bool IsOutputRedirected => true;

    /// <inheritdoc />
    public bool IsErrorRedirected => true;

    /// <inheritdoc />
    public ConsoleColor ForegroundColor { get; set; }

    /// <inheritdoc />
    public ConsoleColor BackgroundColor { get; set; }

    /// <inheritdoc />
    public event ConsoleCancelEventHandler? CancelKeyPress
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public void ResetColor()
    {
    }
}
