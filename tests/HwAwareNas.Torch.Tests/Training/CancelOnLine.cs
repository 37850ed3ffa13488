namespace HwAwareNas.Torch.Tests.Training;

/// <summary>A log that cancels the run when a line starting with the given text is written.</summary>
internal sealed class CancelOnLine(string prefix, CancellationTokenSource cancellation) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
        {
            cancellation.Cancel();
        }
    }
}
