using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas profile</c>: measures the latency of N random sub-networks (or those a file lists) on the device,
/// skipping what the results store already has for its fingerprint, and prints them with MACs, parameters, size, the
/// latency range and the Spearman ρ between MACs and latency.
/// </summary>
[Command("profile", Description = "Measure sub-network latency on the device; print a table, the latency range and the MACs/latency rank correlation.")]
internal sealed class ProfileCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The configuration file.</summary>
    [Option("-c|--config <PATH>", Description = "hwnas.yaml (default: hwnas.yaml).")]
    public string Config { get; init; } = ConfigKeys.DefaultFileName;

    /// <summary>A device profile replacing the file's device section.</summary>
    [Option("--device <NAME>", Description = "Use the device profile devices/<NAME>.yaml instead of the file's device section.")]
    public string? Device { get; init; }

    /// <summary>How many random genomes, or a file of genomes.</summary>
    [Option("--genomes <COUNT_OR_FILE>", Description = "A count of random sub-networks, or a file: OFA-notation lines or a CSV with a genome column.")]
    public string Genomes { get; init; } = "10";

    /// <summary>Seed of the random genomes.</summary>
    [Option("--seed <S>", Description = "Seed of the random sub-networks (default: search.seed).")]
    public int? Seed { get; init; }

    /// <summary>Machine-readable output.</summary>
    [Option("--json", Description = "Print JSON instead of a table.")]
    public bool AsJson { get; init; }

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public async Task<int> OnExecuteAsync(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var config = HwNasConfigLoader.Load(Config, new ConfigLoadOptions { DeviceProfile = Device });
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        using var session = SupernetSession.Load(config, store);

        // Standard error keeps --json output a single document.
        console.Error.WriteLine(session.NumericCheck.Summary);
        var genomes = GenomesOf(session.Family, Seed ?? config.Search.Seed);
        using var cancellation = new ConsoleCancellation(console, "finished measurements stay in the results store");
        var survey = await LatencySurvey.MeasureAsync(config, session, genomes, null, console.Error.WriteLine, cancellation.Token).ConfigureAwait(false);
        if (AsJson)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(survey, Json));
        }
        else
        {
            WriteTable(console.Out, survey);
        }

        return (int)ExitCode.Success;
    }

    private IReadOnlyList<Genome> GenomesOf(ISearchSpace space, int seed)
    {
        if (int.TryParse(Genomes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            if (count < 1)
            {
                throw new HwNasException("--genomes must be a positive count or a file.", ExitCode.BadConfig);
            }

            // Distinct draws; a space smaller than the count gives all it has.
            var random = new Random(seed);
            var genomes = new Dictionary<string, Genome>(StringComparer.Ordinal);
            for (var attempt = 0; genomes.Count < count && attempt < count * 20; attempt++)
            {
                var genome = space.Canonicalize(space.Sample(random));
                genomes.TryAdd(genome.Key, genome);
            }

            return [.. genomes.Values];
        }

        return WarmStartFile.Read(space, Genomes, "--genomes");
    }

    private static void WriteTable(TextWriter output, SurveyResult survey)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"{"trimmed ms",11} {"median",9} {"p10",9} {"p90",9} {"stdev",9} {"n",5} {"MACs",12} {"params",10} {"size KB",9} {"store",5} {"by",-12} genome"));
        foreach (var r in survey.Rows)
        {
            output.WriteLine(string.Create(
                culture,
                $"{r.TrimmedMeanMs,11:0.0000} {r.MedianMs,9:0.0000} {r.P10Ms,9:0.0000} {r.P90Ms,9:0.0000} {r.StdevMs,9:0.0000} {r.Runs,5} {r.Macs,12} {r.Parameters,10} {r.SizeBytes / 1024.0,9:0.0} {(r.FromStore ? "yes" : "no"),5} {r.MeasuredBy ?? "here",-12} {r.Genome}"));
        }

        // The range shows what the budget can ask for on this device: from the fastest to the slowest sub-network measured.
        if (survey.Rows.MinBy(r => r.LatencyMs) is { } fastest && survey.Rows.MaxBy(r => r.LatencyMs) is { } slowest)
        {
            output.WriteLine(string.Create(
                culture,
                $"latency {fastest.LatencyMs:0.000} to {slowest.LatencyMs:0.000} ms ({slowest.LatencyMs / fastest.LatencyMs:0.00}x): fastest {fastest.Macs} MACs {fastest.Genome}; slowest {slowest.Macs} MACs {slowest.Genome}"));
        }

        output.WriteLine(string.Create(
            culture,
            $"{survey.Rows.Count} sub-networks ({survey.Rows.Count(r => !r.FromStore)} measured now); Spearman rho(MACs, latency) = {(survey.SpearmanMacsLatency is { } rho ? rho.ToString("0.000", culture) : "n/a, needs two or more")} (latency: {ConfigChoices.Format(survey.Statistic)}); device {survey.Fingerprint}"));
    }
}
