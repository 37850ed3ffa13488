using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Reporting;

/// <summary>
/// Turns summary values into the text every human-readable exporter prints, always with the invariant culture so a
/// report reads the same on every build machine.
/// </summary>
internal static class ReportFormatting
{
    public static string Number(double value, int decimals = 2) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    public static string Number(double? value, int decimals = 2) => value is { } v ? Number(v, decimals) : "–";

    public static string Signed(double value, int decimals = 2) =>
        double.IsFinite(value) ? value.ToString("+0." + new string('0', decimals) + ";-0." + new string('0', decimals), CultureInfo.InvariantCulture) : "n/a";

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan duration) => Number(duration.TotalSeconds, 1) + " s";

    public static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes >= 1 << 20
        ? Number(bytes / 1048576.0, 2) + " MiB"
        : Number(bytes / 1024.0, 1) + " KiB";

    public static string Origin(EvaluationOrigin origin) => origin == EvaluationOrigin.Measured ? "measured" : "predicted";

    public static string Direction(ObjectiveDirection direction) => direction == ObjectiveDirection.Maximize ? "maximize" : "minimize";

    public static string Outcome(ExitCode code) => code switch
    {
        ExitCode.Success => "success",
        ExitCode.NoFeasibleModel => "no feasible sub-network",
        _ => code.ToString(),
    };

    public static string Constraint(ConstraintSummary constraint) =>
        $"{constraint.ObjectiveName} {constraint.Symbol} {constraint.Bound.ToString("0.####", CultureInfo.InvariantCulture)} {constraint.Unit}".TrimEnd()
        + (constraint.Note.Length > 0 ? $" ({constraint.Note})" : string.Empty);

    public static string Margin(ConstraintMargin margin) =>
        (margin.IsMet ? "meets by " : "misses by ") + Number(Math.Abs(margin.Margin)) + " " + margin.Constraint.Unit;
}
