using static HwAwareNas.Reporting.ReportFormatting;

namespace HwAwareNas.Reporting;

/// <summary>A table of already-formatted cells; exporters only escape and lay it out.</summary>
/// <param name="Caption">What the table shows.</param>
/// <param name="Headers">Column headings.</param>
/// <param name="Rows">Formatted cells, one list per row.</param>
/// <param name="IsKeyValue">Whether rows are (name, value) pairs, which needs no header row where the format allows.</param>
internal sealed record ReportTable(
    string Caption,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    bool IsKeyValue = false);

/// <summary>The plots a section shows in formats that can carry images.</summary>
internal enum ReportChart
{
    Front,
    Hypervolume,
    Predictors,
    Stages,
}

/// <summary>One titled part of a report: text, tables and the plots that go with them.</summary>
internal sealed record ReportSection(
    string Id,
    string Title,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<ReportChart> Charts);

/// <summary>
/// Lays a summary out as sections of tables, once, so the HTML and Markdown reports cannot drift apart in content.
/// </summary>
internal static class ReportSections
{
    public static IReadOnlyList<ReportSection> Build(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return
        [
            Overview(summary),
            Selection(summary),
            Front(summary),
            Search(summary),
            Predictors(summary),
            Stages(summary),
            Device(summary),
            Candidates(summary),
        ];
    }

    public static string Title(RunSummary summary) =>
        $"HwAwareNas report: {summary.Family.Name} on {summary.Device.Name}";

    private static ReportSection Overview(RunSummary s) => new(
        "overview",
        "Run",
        [],
        [
            KeyValues(
                "Run",
                ("Outcome", Outcome(s.Outcome)),
                ("Tool version", s.ToolVersion),
                ("Started", Timestamp(s.StartedAt)),
                ("Finished", Timestamp(s.FinishedAt)),
                ("Duration", Seconds(s.Duration)),
                ("Configuration", s.Config.Path),
                ("Configuration SHA-256", s.Config.Sha256),
                ("Family", s.Family.Name)),
            new ReportTable("Family settings", ["Setting", "Value"], [.. s.Family.Settings.Select(x => Row(x.Key, x.Value))]),
        ],
        []);

    private static ReportSection Selection(RunSummary s)
    {
        var selection = s.Selection;
        if (selection.Selected is { } chosen)
        {
            return new ReportSection(
                "selection",
                "Selected model",
                [$"Policy {selection.Policy}: {selection.Reason}", .. AgainstUniformScaling(s, chosen)],
                [
                    KeyValues(
                        "Selected sub-network",
                        ("Genome", chosen.Genome),
                        ("Accuracy", Number(chosen.Accuracy) + " %"),
                        ("Latency (measured)", Number(chosen.LatencyMs, 3) + " ms"),
                        ("Latency median / p90", chosen.Measured is { } m ? $"{Number(m.MedianMs, 3)} / {Number(m.P90Ms, 3)} ms" : "not measured"),
                        ("Latency stdev (runs)", chosen.Measured is { } n ? $"{Number(n.StandardDeviationMs, 3)} ms ({n.Runs})" : "not measured"),
                        ("Origin", Origin(chosen.Origin)),
                        ("Parameters", Integer(chosen.Parameters)),
                        ("MACs", Integer(chosen.Macs)),
                        ("Model size", Bytes(chosen.SizeBytes))),
                    MarginTable("Constraint margins", selection.Margins),
                    .. ConfirmationTables(selection),
                    .. BaselineTables(s),
                ],
                []);
        }

        var constraints = s.Constraints;
        return new ReportSection(
            "selection",
            "No feasible sub-network",
            [
                $"No evaluated sub-network meets every constraint ({string.Join(", ", constraints.Select(Constraint))}).",
                $"Policy {selection.Policy}: {selection.Reason}",
            ],
            [
                new ReportTable(
                    "Nearest candidates",
                    ["Genome", "Accuracy %", "Latency ms", .. constraints.Select(Constraint)],
                    [
                        .. selection.Nearest.Select(near => (IReadOnlyList<string>)
                        [
                            near.Candidate.Genome,
                            Number(near.Candidate.Accuracy),
                            Number(near.Candidate.LatencyMs, 3),
                            .. constraints.Select(c => near.Margins.FirstOrDefault(m => m.Constraint == c) is { } m ? Margin(m) : "–"),
                        ]),
                    ]),
                .. ConfirmationTables(selection),
                .. BaselineTables(s),
            ],
            []);
    }

    // What the search bought: the selection against the best sub-network that scaling every gene alike reaches within
    // the same constraints, both held to the worse of their measurements.
    private static string[] AgainstUniformScaling(RunSummary s, CandidateSummary chosen)
    {
        if (s.Baselines.Count == 0)
        {
            return [];
        }

        var held = HeldLatencyMs(s.Selection, chosen);
        var best = s.Baselines.Where(b => b.IsFeasible).MaxBy(b => b.Candidate.Accuracy);
        return best is null
            ? [$"No uniformly scaled sub-network (every gene at one level) meets every constraint; the selected one does at {Number(chosen.Accuracy)} % and {Number(held, 3)} ms."]
            : [$"Against uniform scaling: the selected sub-network is {Number(Math.Abs(chosen.Accuracy - best.Candidate.Accuracy))} points {(chosen.Accuracy >= best.Candidate.Accuracy ? "more" : "less")} accurate than the best uniformly scaled one that meets every constraint, {best.Name} ({Number(best.Candidate.Accuracy)} % at {Number(best.HeldLatencyMs, 3)} ms; the selected one {Number(chosen.Accuracy)} % at {Number(held, 3)} ms)."];
    }

    private static ReportTable[] BaselineTables(RunSummary s) => s.Baselines.Count == 0
        ? []
        : [new ReportTable(
            "Uniformly scaled sub-networks (every gene at one level), measured the same way; latency held to the worse of its measurements",
            ["Sub-network", "Genome", "Accuracy %", "Latency ms", "Second latency ms", "Held latency ms", "Meets constraints", "Selected minus it, points"],
            [.. s.Baselines.Select(b => Row(
                b.Name,
                b.Candidate.Genome,
                Number(b.Candidate.Accuracy),
                Number(b.Candidate.LatencyMs, 4),
                Number(b.SecondLatencyMs, 4),
                Number(b.HeldLatencyMs, 4),
                b.IsFeasible ? "yes" : "no",
                s.Selection.Selected is { } chosen ? Number(chosen.Accuracy - b.Candidate.Accuracy) : "–"))])];

    // The selected sub-network's latency as the finalists are held to it: the worse of its measurements.
    private static double HeldLatencyMs(SelectionSummary selection, CandidateSummary chosen) =>
        selection.Confirmations.FirstOrDefault(k => k.Genome == chosen.Genome)?.ConfirmedLatencyMs ?? chosen.LatencyMs;

    // The finalists measured twice: why the selected model's latency may be above what the search measured, and why a
    // more accurate candidate was passed over.
    private static ReportTable[] ConfirmationTables(SelectionSummary selection) => selection.Confirmations.Count == 0
        ? []
        : [new ReportTable(
            "Finalists measured a second time (each is held to the worse of its two latencies)",
            ["Genome", "Accuracy %", "Search latency ms", "Second latency ms", "Confirmed latency ms", "Outcome"],
            [.. selection.Confirmations.Select(k => Row(
                k.Genome,
                Number(k.Accuracy),
                Number(k.SearchLatencyMs, 4),
                Number(k.SecondLatencyMs, 4),
                Number(k.ConfirmedLatencyMs, 4),
                k.Passed ? "meets the constraints" : "misses a constraint: passed over"))])];

    private static ReportSection Front(RunSummary s) => new(
        "front",
        "Pareto front: measured vs predicted",
        [
            $"{s.PredictedFront.Count} sub-networks on the predicted front were re-measured on the device; " +
            $"{s.VerifiedFront.Count} remain on the measured front.",
            .. s.Objectives.Count > 2
                ? [$"The front is non-dominated in all {s.Objectives.Count} objectives ({string.Join(", ", s.Objectives.Select(o => o.Name))}), " +
                   "so the accuracy–latency plot also shows members that win only on the others."]
                : Array.Empty<string>(),
        ],
        [
            new ReportTable(
                "Verified front",
                ["Genome", "Accuracy %", "Predicted accuracy %", "Latency ms", "Predicted latency ms", "Latency error %", "p90 ms", "Stdev ms", "Runs", "Parameters", "MACs"],
                [
                    .. s.VerifiedFront.Select(c => (IReadOnlyList<string>)
                    [
                        c.Genome,
                        Number(c.Accuracy),
                        Number(c.PredictedAccuracy),
                        Number(c.LatencyMs, 3),
                        Number(c.PredictedLatencyMs, 3),
                        c.LatencyErrorPercent is { } e ? Signed(e, 1) : "–",
                        Number(c.Measured?.P90Ms, 3),
                        Number(c.Measured?.StandardDeviationMs, 3),
                        c.Measured is { } m ? Integer(m.Runs) : "–",
                        Integer(c.Parameters),
                        Integer(c.Macs),
                    ]),
                ]),
        ],
        [ReportChart.Front]);

    private static ReportSection Search(RunSummary s)
    {
        var search = s.Search;
        return new ReportSection(
            "search",
            "Search and budgets",
            [],
            [
                KeyValues(
                    "Budgets used",
                    ("Strategy", search.Strategy),
                    ("Settings", search.Settings ?? "–"),
                    ("Validations", $"{Integer(search.ValidationsUsed)} of {Integer(search.ValidationBudget)}"),
                    ("Wall time", search.WallTimeLimit is { } limit ? $"{Seconds(search.WallTime)} of {Seconds(limit)}" : $"{Seconds(search.WallTime)} (no limit)"),
                    ("Stop when constraints met", search.StopWhenMet switch
                    {
                        { Enabled: false } => "off",
                        { Triggered: true } => "on, triggered: the search stopped",
                        _ => "on, not triggered",
                    }),
                    ("Constraints first met", search.StopWhenMet.ValidationsWhenMet is { } met
                        ? $"at validation {Integer(met)}"
                        : "by no measured sub-network"),
                    ("Stop reason", search.StopReason),
                    ("Final hypervolume", s.Hypervolume.Count > 0 ? Number(s.Hypervolume[^1].Hypervolume, 4) : "–")),
                new ReportTable("Objectives", ["Objective", "Direction", "Unit"], [.. s.Objectives.Select(o => Row(o.Name, Direction(o.Direction), o.Unit))]),
                new ReportTable("Constraints", ["Constraint"], [.. s.Constraints.Select(c => Row(Constraint(c)))]),
            ],
            [ReportChart.Hypervolume]);
    }

    private static ReportSection Predictors(RunSummary s) => new(
        "predictors",
        "Predictor quality",
        [
            s.Predictors.Count > 0
                ? "Cross-validated on the measured sub-networks: each is predicted by a predictor fitted without it, so the figures are those the search's surrogates worked at."
                : "Too few sub-networks were measured to cross-validate the predictors.",
            .. s.BuiltPredictor is { } built
                ? [$"Latency: the predictor built by 'hwnas predictors build' for this device ({built.Name}, {built.Encoding} encoding, {Integer(built.Samples)} depth-balanced samples, built {built.BuiltAt:yyyy-MM-dd HH:mm} UTC), refitted on its samples and this run's measurements; on its {Integer(built.HeldOut)} held-out sub-networks it reached Kendall τ {Number(built.KendallTau, 3)} and MAPE {Number(built.MapePercent, 2)} %{(built.TargetsMet ? ", meeting its targets" : ", short of its targets")}."]
                : Array.Empty<string>(),
        ],
        [
            new ReportTable(
                "Held-out predictor quality",
                ["Predictor", "Target", "Kendall τ", "Spearman ρ", "MAPE %", "RMSE", "n"],
                [
                    .. s.Predictors.Select(p => Row(
                        p.Name,
                        p.Target,
                        Number(p.KendallTau, 3),
                        Number(p.Spearman, 3),
                        Number(p.MapePercent, 2),
                        $"{Number(p.Rmse, 3)} {p.Unit}".TrimEnd(),
                        Integer(p.Count))),
                ]),
        ],
        [ReportChart.Predictors]);

    private static ReportSection Stages(RunSummary s) => new(
        "stages",
        "Time per stage",
        [
            "Each second is counted once, under the innermost stage: live evaluations the search asks for count under " +
            $"Profile and predictor fits under Fit. The stages account for {Seconds(TimeSpan.FromTicks(s.Stages.Sum(t => t.Duration.Ticks)))} " +
            $"of the {Seconds(s.Duration)} run.",
        ],
        [
            new ReportTable(
                "Stages",
                ["Stage", "Time", "Share of run", "Resumed from store", "What"],
                [
                    .. s.Stages.Select(t => Row(
                        t.Stage,
                        Seconds(t.Duration),
                        s.Duration > TimeSpan.Zero ? Number(100 * t.Duration / s.Duration, 1) + " %" : "–",
                        t.Resumed ? "yes" : "no",
                        t.Detail)),
                ]),
        ],
        [ReportChart.Stages]);

    private static ReportSection Device(RunSummary s)
    {
        var device = s.Device;
        return new ReportSection(
            "device",
            "Device",
            [],
            [
                KeyValues(
                    "Device",
                    ("Name", device.Name),
                    ("Execution provider", device.Provider),
                    ("Threads", Integer(device.Threads)),
                    ("Batch size", Integer(device.BatchSize)),
                    ("Fingerprint key", device.FingerprintKey)),
                new ReportTable("Fingerprint", ["Property", "Value"], [.. device.Fingerprint.Select(x => Row(x.Key, x.Value))]),
                new ReportTable("Measurement protocol", ["Setting", "Value"], [.. device.Measurement.Select(x => Row(x.Key, x.Value))]),
                new ReportTable("Numeric self-check", ["Property", "Value"], [.. device.NumericCheck.Select(x => Row(x.Key, x.Value))]),
            ],
            []);
    }

    private static ReportSection Candidates(RunSummary s) => new(
        "candidates",
        "All evaluated candidates",
        [$"{s.Candidates.Count} candidates, {s.Candidates.Count(c => c.Measured is not null)} measured on the device."],
        [
            new ReportTable(
                "Candidates",
                ["Genome", "Origin", "Accuracy %", "Latency ms", "Parameters", "MACs", "Size"],
                [
                    .. s.Candidates.Select(c => Row(
                        c.Genome,
                        Origin(c.Origin),
                        Number(c.Accuracy),
                        Number(c.LatencyMs, 3),
                        Integer(c.Parameters),
                        Integer(c.Macs),
                        Bytes(c.SizeBytes))),
                ]),
        ],
        []);

    private static ReportTable MarginTable(string caption, IReadOnlyList<ConstraintMargin> margins) => new(
        caption,
        ["Constraint", "Value", "Margin"],
        [.. margins.Select(m => Row(Constraint(m.Constraint), $"{Number(m.Value, 3)} {m.Constraint.Unit}".TrimEnd(), Margin(m)))]);

    private static ReportTable KeyValues(string caption, params (string Key, string Value)[] pairs) =>
        new(caption, ["Item", "Value"], [.. pairs.Select(p => Row(p.Key, p.Value))], IsKeyValue: true);

    private static string[] Row(params string[] cells) => cells;
}
