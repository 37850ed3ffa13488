using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Reporting;

/// <summary>One objective of the search.</summary>
/// <param name="Name">Objective name, e.g. <c>accuracy</c> or <c>latency</c>.</param>
/// <param name="Direction">Whether larger or smaller is better.</param>
/// <param name="Unit">Unit the values are given in, e.g. <c>%</c> or <c>ms</c>.</param>
public sealed record ObjectiveSummary(string Name, ObjectiveDirection Direction, string Unit);

/// <summary>One constraint a selected sub-network must meet.</summary>
/// <param name="ObjectiveName">The constrained quantity, e.g. <c>latency</c>.</param>
/// <param name="Comparison">Whether the value must stay at most or at least <paramref name="Bound"/>.</param>
/// <param name="Bound">The bound, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the bound.</param>
/// <param name="Note">Where the bound comes from when it is not the configured value as is (e.g. a latency margin); empty otherwise.</param>
public sealed record ConstraintSummary(string ObjectiveName, ConstraintComparison Comparison, double Bound, string Unit, string Note = "")
{
    /// <summary>The comparison as a symbol: <c>&lt;=</c> or <c>&gt;=</c>.</summary>
    public string Symbol => Comparison == ConstraintComparison.AtMost ? "<=" : ">=";
}

/// <summary>The search strategy and how much of its budget it used.</summary>
/// <param name="Strategy">Strategy name, e.g. <c>nsga2</c>.</param>
/// <param name="ValidationsUsed">Accuracy/latency evaluations spent.</param>
/// <param name="ValidationBudget">Evaluations allowed.</param>
/// <param name="WallTime">Wall time the search took.</param>
/// <param name="WallTimeLimit">Wall time allowed, or <see langword="null"/> when unlimited.</param>
/// <param name="StopReason">Why the search stopped, e.g. <c>validation budget spent</c>.</param>
/// <param name="StopWhenMet">The stop-when-constraints-met budget and whether it ended the search.</param>
/// <param name="Settings">The settings the strategy ran with, in words (batches, inner search, predictors), or null.</param>
public sealed record SearchSummary(
    string Strategy,
    int ValidationsUsed,
    int ValidationBudget,
    TimeSpan WallTime,
    TimeSpan? WallTimeLimit,
    string StopReason,
    StopWhenMetSummary StopWhenMet,
    string? Settings = null);

/// <summary>The stop-when-constraints-met budget of a search.</summary>
/// <param name="Enabled">Whether the search was to stop once a measured sub-network met every constraint.</param>
/// <param name="Triggered">Whether that ended the search (false when it finished or ran out of time first).</param>
/// <param name="ValidationsWhenMet">
/// Validations spent when a measured sub-network first met every constraint, or <see langword="null"/> when none did;
/// reported whether or not the budget was enabled.
/// </param>
public sealed record StopWhenMetSummary(bool Enabled, bool Triggered, int? ValidationsWhenMet);

/// <summary>Wall time of one pipeline stage.</summary>
/// <param name="Stage">Stage name: Train, Profile, Fit, Search, Verify, Export or Report.</param>
/// <param name="Duration">Wall time the stage took in this run.</param>
/// <param name="Resumed">Whether the stage reused stored results instead of running from scratch.</param>
/// <param name="Detail">What the stage did and what its time covers, e.g. <c>60 sub-networks evaluated</c>.</param>
public sealed record StageTiming(string Stage, TimeSpan Duration, bool Resumed, string Detail = "");

/// <summary>Statistics of the timed runs of one live latency measurement, in milliseconds.</summary>
/// <param name="TrimmedMeanMs">Mean after dropping the fastest and slowest runs; the value searches compare.</param>
/// <param name="MedianMs">Median run.</param>
/// <param name="P90Ms">90th percentile run.</param>
/// <param name="StandardDeviationMs">Sample standard deviation of all runs.</param>
/// <param name="Runs">Number of timed runs.</param>
public sealed record LatencyStatistics(
    double TrimmedMeanMs,
    double MedianMs,
    double P90Ms,
    double StandardDeviationMs,
    int Runs);

/// <summary>One evaluated sub-network.</summary>
/// <param name="Genome">The genome in OFA notation, e.g. <c>{"ks":[3,5],"e":[4,6],"d":[2]}</c>.</param>
/// <param name="Origin">Whether <paramref name="Accuracy"/> and <paramref name="LatencyMs"/> were measured or predicted.</param>
/// <param name="Accuracy">Top-1 accuracy in percent.</param>
/// <param name="LatencyMs">Latency in milliseconds: the configured statistic of the runs when measured, the prediction otherwise.</param>
/// <param name="Measured">Statistics of the live measurement, or <see langword="null"/> when never measured.</param>
/// <param name="PredictedAccuracy">The predictor's accuracy, when one was asked.</param>
/// <param name="PredictedLatencyMs">The predictor's latency, when one was asked.</param>
/// <param name="Parameters">Number of weights.</param>
/// <param name="Macs">Multiply-accumulates per image.</param>
/// <param name="SizeBytes">Size of the exported model in bytes.</param>
public sealed record CandidateSummary(
    string Genome,
    EvaluationOrigin Origin,
    double Accuracy,
    double LatencyMs,
    LatencyStatistics? Measured,
    double? PredictedAccuracy,
    double? PredictedLatencyMs,
    long Parameters,
    long Macs,
    long SizeBytes)
{
    /// <summary>
    /// Signed error of the latency prediction against the measurement, in percent of the measurement; <see langword="null"/>
    /// unless both exist.
    /// </summary>
    public double? LatencyErrorPercent => Measured is not null && LatencyMs > 0 && PredictedLatencyMs is { } p
        ? (p - LatencyMs) / LatencyMs * 100
        : null;
}

/// <summary>Hypervolume of the front found after a number of validations.</summary>
/// <param name="Validations">Validations spent so far.</param>
/// <param name="Hypervolume">Hypervolume of the front at that point.</param>
public sealed record HypervolumePoint(int Validations, double Hypervolume);

/// <summary>A measured value and what a predictor said it would be.</summary>
/// <param name="Actual">The measured value.</param>
/// <param name="Predicted">The predicted value.</param>
public sealed record PredictionPair(double Actual, double Predicted);

/// <summary>How well one predictor ranks and estimates held-out measurements.</summary>
/// <param name="Name">Predictor name, e.g. <c>gbdt</c>.</param>
/// <param name="Target">The quantity predicted, e.g. <c>latency</c>.</param>
/// <param name="Unit">Unit of <paramref name="Target"/>, e.g. <c>ms</c>.</param>
/// <param name="KendallTau">Kendall rank correlation; what matters for a search is the ranking.</param>
/// <param name="MapePercent">Mean absolute percentage error.</param>
/// <param name="Spearman">Spearman rank correlation.</param>
/// <param name="Rmse">Root mean squared error, in <paramref name="Unit"/>.</param>
/// <param name="Count">Number of held-out samples the figures come from.</param>
/// <param name="Pairs">The held-out (actual, predicted) pairs, for a scatter plot.</param>
public sealed record PredictorQuality(
    string Name,
    string Target,
    string Unit,
    double KendallTau,
    double MapePercent,
    double Spearman,
    double Rmse,
    int Count,
    IReadOnlyList<PredictionPair> Pairs);

/// <summary>
/// The latency predictor <c>hwnas predictors build</c> stored for this device, which the search used (refitted on its
/// samples and the run's measurements), with the quality it reached on its depth-balanced held-out set.
/// </summary>
/// <param name="Name">Predictor name, e.g. <c>ridge</c>.</param>
/// <param name="Encoding">The genome encoding it was fitted on.</param>
/// <param name="Samples">Training samples the build measured.</param>
/// <param name="HeldOut">Held-out samples the figures come from.</param>
/// <param name="KendallTau">Kendall τ on the held-out set.</param>
/// <param name="MapePercent">MAPE on the held-out set, in percent.</param>
/// <param name="TargetsMet">Whether the build met its τ and MAPE targets.</param>
/// <param name="BuiltAt">When it was built.</param>
public sealed record BuiltPredictorSummary(
    string Name, string Encoding, int Samples, int HeldOut, double KendallTau, double MapePercent, bool TargetsMet, DateTimeOffset BuiltAt);

/// <summary>How a candidate stands against one constraint.</summary>
/// <param name="Constraint">The constraint.</param>
/// <param name="Value">The candidate's value of the constrained quantity.</param>
public sealed record ConstraintMargin(ConstraintSummary Constraint, double Value)
{
    /// <summary>Room left before the bound, in the constraint's unit: negative when the constraint is missed.</summary>
    public double Margin => Constraint.Comparison == ConstraintComparison.AtMost
        ? Constraint.Bound - Value
        : Value - Constraint.Bound;

    /// <summary>Whether the value meets the constraint.</summary>
    public bool IsMet => Margin >= 0;
}

/// <summary>A candidate that meets no or only some constraints, with how far it is from each.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Margins">Its margin against every constraint.</param>
public sealed record NearMissSummary(CandidateSummary Candidate, IReadOnlyList<ConstraintMargin> Margins);

/// <summary>The outcome of selection.</summary>
/// <param name="Policy">The selection policy, e.g. <c>max-accuracy</c>.</param>
/// <param name="Selected">The selected sub-network, or <see langword="null"/> when none meets the constraints.</param>
/// <param name="Reason">Why it was chosen, or why nothing was.</param>
/// <param name="Margins">The selected candidate's margin against every constraint; empty when nothing was selected.</param>
/// <param name="Nearest">When nothing is feasible, the candidates that came closest; otherwise empty.</param>
/// <param name="Confirmations">The finalists measured a second time before the choice, in the order they were measured.</param>
public sealed record SelectionSummary(
    string Policy,
    CandidateSummary? Selected,
    string Reason,
    IReadOnlyList<ConstraintMargin> Margins,
    IReadOnlyList<NearMissSummary> Nearest,
    IReadOnlyList<ConfirmationSummary> Confirmations)
{
    /// <summary>Whether a sub-network meeting every constraint was selected.</summary>
    public bool HasSelection => Selected is not null;
}

/// <summary>A selection finalist measured a second time before the choice, against the winner's curse.</summary>
/// <param name="Genome">The genome in OFA notation.</param>
/// <param name="Accuracy">Top-1 accuracy in percent.</param>
/// <param name="SearchLatencyMs">The latency the search measured.</param>
/// <param name="SecondLatencyMs">The latency of the second measurement.</param>
/// <param name="Passed">Whether the worse of the two met every constraint.</param>
public sealed record ConfirmationSummary(string Genome, double Accuracy, double SearchLatencyMs, double SecondLatencyMs, bool Passed)
{
    /// <summary>The latency the candidate is held to: the worse of its two measurements.</summary>
    public double ConfirmedLatencyMs => Math.Max(SearchLatencyMs, SecondLatencyMs);
}

/// <summary>
/// A uniformly scaled sub-network (every gene at the same relative level) measured beside the search's choice: what
/// scaling the network with one knob would have given on this device.
/// </summary>
/// <param name="Level">The 1-based level among <paramref name="Levels"/>: 1 is the smallest sub-network, the last the largest.</param>
/// <param name="Levels">How many uniform levels the space has.</param>
/// <param name="Candidate">The sub-network with its accuracy and the latency the search's protocol measured.</param>
/// <param name="SecondLatencyMs">Its latency measured a second time alongside the finalists, when the run confirms them.</param>
/// <param name="Margins">Its margins against every constraint, with its latency held to the worse of its measurements.</param>
public sealed record BaselineSummary(
    int Level, int Levels, CandidateSummary Candidate, double? SecondLatencyMs, IReadOnlyList<ConstraintMargin> Margins)
{
    /// <summary>The latency it is held to: the worse of its measurements, as the finalists are.</summary>
    public double HeldLatencyMs => Math.Max(Candidate.LatencyMs, SecondLatencyMs ?? 0);

    /// <summary>Whether it meets every constraint.</summary>
    public bool IsFeasible => Margins.All(m => m.IsMet);

    /// <summary>Its name in the report, e.g. <c>uniform 2/3</c> or <c>uniform 1/3 (smallest)</c>.</summary>
    public string Name => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"uniform {Level}/{Levels}{(Level == 1 ? " (smallest)" : Level == Levels ? " (largest)" : string.Empty)}");
}
