using System.Text.Json;
using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes <c>results.json</c>, the machine-readable record of a run. Property names are camelCase and always written in
/// the same order; numbers are JSON numbers (invariant, round-trip precision), a non-finite number is written as
/// <c>null</c>; times are ISO 8601 UTC and durations are seconds.
/// <para>
/// Schema version 1, top level: <c>schemaVersion</c> (1), <c>tool</c> {<c>name</c>, <c>version</c>}, <c>startedAt</c>,
/// <c>finishedAt</c>, <c>durationSeconds</c>, <c>outcome</c> (<c>success</c> | <c>noFeasibleModel</c> | ...),
/// <c>exitCode</c>, <c>config</c> {<c>path</c>, <c>sha256</c>}, <c>family</c> {<c>name</c>, <c>settings</c> {name: value}},
/// <c>device</c> {<c>name</c>, <c>provider</c>, <c>threads</c>, <c>batchSize</c>, <c>fingerprintKey</c>,
/// <c>fingerprint</c> {name: value}, <c>measurement</c> {name: value}, <c>numericCheck</c> {name: value}}, <c>objectives</c> [{<c>name</c>, <c>direction</c>, <c>unit</c>}],
/// <c>constraints</c> [constraint], <c>search</c> {<c>strategy</c>, <c>validationsUsed</c>, <c>validationBudget</c>,
/// <c>wallTimeSeconds</c>, <c>wallTimeLimitSeconds</c> (null: none), <c>stopReason</c>, <c>stopWhenMet</c>
/// {<c>enabled</c>, <c>triggered</c>, <c>validationsWhenMet</c> (null: never met)}}, <c>stages</c> [{<c>stage</c>,
/// <c>seconds</c>, <c>resumed</c>, <c>detail</c>}], <c>selection</c> {<c>policy</c>, <c>feasible</c>, <c>reason</c>, <c>selected</c>
/// (candidate or null), <c>margins</c> [margin], <c>nearest</c> [{<c>candidate</c>, <c>margins</c> [margin]}],
/// <c>confirmations</c> [{<c>genome</c>, <c>accuracy</c> (%), <c>searchLatencyMs</c>, <c>secondLatencyMs</c>,
/// <c>confirmedLatencyMs</c> (the worse of the two), <c>passed</c>}]},
/// <c>predictedFront</c> [candidate], <c>verifiedFront</c> [candidate], <c>hypervolume</c> [{<c>validations</c>,
/// <c>hypervolume</c>}], <c>predictors</c> [{<c>name</c>, <c>target</c>, <c>unit</c>, <c>kendallTau</c>,
/// <c>spearman</c>, <c>mapePercent</c>, <c>rmse</c>, <c>count</c>, <c>pairs</c> [[actual, predicted]]}],
/// <c>candidates</c> [candidate].
/// </para>
/// <para>
/// candidate: {<c>genome</c> (OFA-notation JSON, as a string), <c>origin</c> (<c>measured</c> | <c>predicted</c>),
/// <c>accuracy</c> (%), <c>latencyMs</c>, <c>latency</c> ({<c>trimmedMeanMs</c>, <c>medianMs</c>, <c>p90Ms</c>,
/// <c>stdevMs</c>, <c>runs</c>} or null when not measured), <c>predictedAccuracy</c>, <c>predictedLatencyMs</c> (null
/// when not predicted), <c>params</c>, <c>macs</c>, <c>sizeBytes</c>}. constraint: {<c>objective</c>,
/// <c>comparison</c> (<c>atMost</c> | <c>atLeast</c>), <c>bound</c>, <c>unit</c>, <c>note</c> (empty unless the bound is
/// derived, e.g. less a latency margin)}. margin: {<c>constraint</c>,
/// <c>value</c>, <c>margin</c> (negative: missed), <c>met</c>}.
/// </para>
/// </summary>
internal sealed class JsonResultsExporter : IReportExporter
{
    /// <summary>Version of the layout above; raised whenever a field is renamed, removed or changes meaning.</summary>
    public const int SchemaVersion = 1;

    /// <inheritdoc />
    public string Name => "json";

    /// <inheritdoc />
    public string FileName => "results.json";

    /// <inheritdoc />
    public void Write(RunSummary summary, Stream output)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "hwnas");
        json.WriteString("version", summary.ToolVersion);
        json.WriteEndObject();
        json.WriteString("startedAt", summary.StartedAt.ToUniversalTime());
        json.WriteString("finishedAt", summary.FinishedAt.ToUniversalTime());
        Number(json, "durationSeconds", summary.Duration.TotalSeconds);
        json.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(summary.Outcome.ToString()));
        json.WriteNumber("exitCode", (int)summary.Outcome);

        json.WriteStartObject("config");
        json.WriteString("path", summary.Config.Path);
        json.WriteString("sha256", summary.Config.Sha256);
        json.WriteEndObject();

        json.WriteStartObject("family");
        json.WriteString("name", summary.Family.Name);
        Settings(json, "settings", summary.Family.Settings);
        json.WriteEndObject();

        var device = summary.Device;
        json.WriteStartObject("device");
        json.WriteString("name", device.Name);
        json.WriteString("provider", device.Provider);
        json.WriteNumber("threads", device.Threads);
        json.WriteNumber("batchSize", device.BatchSize);
        json.WriteString("fingerprintKey", device.FingerprintKey);
        Settings(json, "fingerprint", device.Fingerprint);
        Settings(json, "measurement", device.Measurement);
        Settings(json, "numericCheck", device.NumericCheck);
        json.WriteEndObject();

        json.WriteStartArray("objectives");
        foreach (var objective in summary.Objectives)
        {
            json.WriteStartObject();
            json.WriteString("name", objective.Name);
            json.WriteString("direction", objective.Direction == ObjectiveDirection.Maximize ? "maximize" : "minimize");
            json.WriteString("unit", objective.Unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("constraints");
        foreach (var constraint in summary.Constraints)
        {
            Constraint(json, constraint);
        }

        json.WriteEndArray();
        Search(json, summary.Search);

        json.WriteStartArray("stages");
        foreach (var stage in summary.Stages)
        {
            json.WriteStartObject();
            json.WriteString("stage", stage.Stage);
            Number(json, "seconds", stage.Duration.TotalSeconds);
            json.WriteBoolean("resumed", stage.Resumed);
            json.WriteString("detail", stage.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Selection(json, summary.Selection);
        Baselines(json, summary.Baselines);
        Candidates(json, "predictedFront", summary.PredictedFront);
        Candidates(json, "verifiedFront", summary.VerifiedFront);

        json.WriteStartArray("hypervolume");
        foreach (var point in summary.Hypervolume)
        {
            json.WriteStartObject();
            json.WriteNumber("validations", point.Validations);
            Number(json, "hypervolume", point.Hypervolume);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Predictors(json, summary.Predictors);
        BuiltPredictor(json, summary.BuiltPredictor);
        Candidates(json, "candidates", summary.Candidates);
        json.WriteEndObject();
        json.Flush();
    }

    private static void Search(Utf8JsonWriter json, SearchSummary search)
    {
        json.WriteStartObject("search");
        json.WriteString("strategy", search.Strategy);
        json.WriteNumber("validationsUsed", search.ValidationsUsed);
        json.WriteNumber("validationBudget", search.ValidationBudget);
        Number(json, "wallTimeSeconds", search.WallTime.TotalSeconds);
        Number(json, "wallTimeLimitSeconds", search.WallTimeLimit?.TotalSeconds);
        json.WriteString("stopReason", search.StopReason);
        json.WriteStartObject("stopWhenMet");
        json.WriteBoolean("enabled", search.StopWhenMet.Enabled);
        json.WriteBoolean("triggered", search.StopWhenMet.Triggered);
        if (search.StopWhenMet.ValidationsWhenMet is { } met)
        {
            json.WriteNumber("validationsWhenMet", met);
        }
        else
        {
            json.WriteNull("validationsWhenMet");
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Selection(Utf8JsonWriter json, SelectionSummary selection)
    {
        json.WriteStartObject("selection");
        json.WriteString("policy", selection.Policy);
        json.WriteBoolean("feasible", selection.HasSelection);
        json.WriteString("reason", selection.Reason);
        if (selection.Selected is { } selected)
        {
            json.WritePropertyName("selected");
            Candidate(json, selected);
        }
        else
        {
            json.WriteNull("selected");
        }

        Margins(json, selection.Margins);
        json.WriteStartArray("nearest");
        foreach (var near in selection.Nearest)
        {
            json.WriteStartObject();
            json.WritePropertyName("candidate");
            Candidate(json, near.Candidate);
            Margins(json, near.Margins);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("confirmations");
        foreach (var k in selection.Confirmations)
        {
            json.WriteStartObject();
            json.WriteString("genome", k.Genome);
            Number(json, "accuracy", k.Accuracy);
            Number(json, "searchLatencyMs", k.SearchLatencyMs);
            Number(json, "secondLatencyMs", k.SecondLatencyMs);
            Number(json, "confirmedLatencyMs", k.ConfirmedLatencyMs);
            json.WriteBoolean("passed", k.Passed);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Baselines(Utf8JsonWriter json, IReadOnlyList<BaselineSummary> baselines)
    {
        json.WriteStartArray("baselines");
        foreach (var b in baselines)
        {
            json.WriteStartObject();
            json.WriteString("name", b.Name);
            json.WriteNumber("level", b.Level);
            json.WriteNumber("levels", b.Levels);
            json.WritePropertyName("candidate");
            Candidate(json, b.Candidate);
            Number(json, "secondLatencyMs", b.SecondLatencyMs);
            Number(json, "heldLatencyMs", b.HeldLatencyMs);
            json.WriteBoolean("feasible", b.IsFeasible);
            Margins(json, b.Margins);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void BuiltPredictor(Utf8JsonWriter json, BuiltPredictorSummary? built)
    {
        if (built is null)
        {
            json.WriteNull("builtPredictor");
            return;
        }

        json.WriteStartObject("builtPredictor");
        json.WriteString("name", built.Name);
        json.WriteString("encoding", built.Encoding);
        json.WriteNumber("samples", built.Samples);
        json.WriteNumber("heldOut", built.HeldOut);
        Number(json, "kendallTau", built.KendallTau);
        Number(json, "mapePercent", built.MapePercent);
        json.WriteBoolean("targetsMet", built.TargetsMet);
        json.WriteString("builtAt", built.BuiltAt);
        json.WriteEndObject();
    }

    private static void Predictors(Utf8JsonWriter json, IReadOnlyList<PredictorQuality> predictors)
    {
        json.WriteStartArray("predictors");
        foreach (var p in predictors)
        {
            json.WriteStartObject();
            json.WriteString("name", p.Name);
            json.WriteString("target", p.Target);
            json.WriteString("unit", p.Unit);
            Number(json, "kendallTau", p.KendallTau);
            Number(json, "spearman", p.Spearman);
            Number(json, "mapePercent", p.MapePercent);
            Number(json, "rmse", p.Rmse);
            json.WriteNumber("count", p.Count);
            json.WriteStartArray("pairs");
            foreach (var pair in p.Pairs)
            {
                json.WriteStartArray();
                NumberValue(json, pair.Actual);
                NumberValue(json, pair.Predicted);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Margins(Utf8JsonWriter json, IReadOnlyList<ConstraintMargin> margins)
    {
        json.WriteStartArray("margins");
        foreach (var margin in margins)
        {
            json.WriteStartObject();
            json.WritePropertyName("constraint");
            Constraint(json, margin.Constraint);
            Number(json, "value", margin.Value);
            Number(json, "margin", margin.Margin);
            json.WriteBoolean("met", margin.IsMet);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Constraint(Utf8JsonWriter json, ConstraintSummary constraint)
    {
        json.WriteStartObject();
        json.WriteString("objective", constraint.ObjectiveName);
        json.WriteString("comparison", constraint.Comparison == ConstraintComparison.AtMost ? "atMost" : "atLeast");
        Number(json, "bound", constraint.Bound);
        json.WriteString("unit", constraint.Unit);
        json.WriteString("note", constraint.Note);
        json.WriteEndObject();
    }

    private static void Candidates(Utf8JsonWriter json, string name, IReadOnlyList<CandidateSummary> candidates)
    {
        json.WriteStartArray(name);
        foreach (var candidate in candidates)
        {
            Candidate(json, candidate);
        }

        json.WriteEndArray();
    }

    private static void Candidate(Utf8JsonWriter json, CandidateSummary c)
    {
        json.WriteStartObject();
        json.WriteString("genome", c.Genome);
        json.WriteString("origin", c.Origin == EvaluationOrigin.Measured ? "measured" : "predicted");
        Number(json, "accuracy", c.Accuracy);
        Number(json, "latencyMs", c.LatencyMs);
        if (c.Measured is { } m)
        {
            json.WriteStartObject("latency");
            Number(json, "trimmedMeanMs", m.TrimmedMeanMs);
            Number(json, "medianMs", m.MedianMs);
            Number(json, "p90Ms", m.P90Ms);
            Number(json, "stdevMs", m.StandardDeviationMs);
            json.WriteNumber("runs", m.Runs);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("latency");
        }

        Number(json, "predictedAccuracy", c.PredictedAccuracy);
        Number(json, "predictedLatencyMs", c.PredictedLatencyMs);
        json.WriteNumber("params", c.Parameters);
        json.WriteNumber("macs", c.Macs);
        json.WriteNumber("sizeBytes", c.SizeBytes);
        json.WriteEndObject();
    }

    private static void Settings(Utf8JsonWriter json, string name, IReadOnlyList<Setting> settings)
    {
        json.WriteStartObject(name);
        foreach (var setting in settings)
        {
            json.WriteString(setting.Key, setting.Value);
        }

        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        if (value is { } v)
        {
            NumberValue(json, v);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void NumberValue(Utf8JsonWriter json, double value)
    {
        // JSON has no NaN or infinity; a rank correlation over constant data is undefined, not an error.
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
