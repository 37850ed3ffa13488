namespace HwAwareNas.Benchmarks;

/// <summary>The benchmark's command line.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        Usage: build/bench.sh [--quick] [--suites search,predictors,selection,cost,agents,devices,transfer,validators,ofa] [--out DIR] [--work DIR] [--root DIR] [--tool DLL]
                              [--ofa-data DIR] [--remeasure-ofa-latency]
          --quick    small settings: every suite end to end in a few minutes (default: the full, hour-long run)
          --suites   comma-separated subset of: search, predictors, selection, cost, agents, devices, transfer, validators, ofa
                     (default: all but ofa, in that order; ofa is the deterministic OFA MobileNetV3 benchmark, its own hour)
          --out      results folder (default: benchmarks/results/<UTC date-time>[-quick])
          --work     scratch folder holding the measured table (results store), derived configs and child runs (default: benchmarks/.work)
          --root     repository root (default: the current folder)
          --tool     HwAwareNas.Tool.dll for the optimize/train child runs (default: src/HwAwareNas.Tool/bin/Release/net10.0/)
          --ofa-data DIR            DyNAS-T's OFA MobileNetV3 w1.0 search logs for the ofa suite (default: ../shared/data/ofa-mbv3-imagenet beside the root)
          --remeasure-ofa-latency   measure the ofa suite's per-layer latency table and its live check again (default: read benchmarks/ofa/*.csv)
        """;

    /// <summary>Every suite, in the order a run takes them.</summary>
    public static IReadOnlyList<string> KnownSuites { get; } = ["search", "predictors", "selection", "cost", "agents", "devices", "transfer", "validators", "ofa"];

    /// <summary>The suites a run without <c>--suites</c> takes: all but <c>ofa</c>, which takes an hour of its own.</summary>
    public static IReadOnlyList<string> DefaultSuites { get; } = [.. KnownSuites.Where(s => s != "ofa")];

    /// <summary>Small settings.</summary>
    public bool Quick { get; init; }

    /// <summary>Print the usage.</summary>
    public bool Help { get; init; }

    /// <summary>Suites to run, in order.</summary>
    public IReadOnlyList<string> Suites { get; init; } = DefaultSuites;

    /// <summary>Results folder, or null for the default.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Scratch folder, or null for the default.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Repository root.</summary>
    public string Root { get; init; } = ".";

    /// <summary>Tool assembly, or null for the default.</summary>
    public string? ToolDll { get; init; }

    /// <summary>Folder of the OFA search logs, or null for the default.</summary>
    public string? OfaData { get; init; }

    /// <summary>Whether the ofa suite measures its latency table again instead of reading the committed one.</summary>
    public bool RemeasureOfaLatency { get; init; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on anything unknown.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "-h" or "--help" => options with { Help = true },
                "--suites" => options with { Suites = SuitesOf(Value()) },
                "--out" => options with { OutputFolder = Value() },
                "--work" => options with { WorkFolder = Value() },
                "--root" => options with { Root = Value() },
                "--tool" => options with { ToolDll = Value() },
                "--ofa-data" => options with { OfaData = Value() },
                "--remeasure-ofa-latency" => options with { RemeasureOfaLatency = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }

    private static string[] SuitesOf(string text)
    {
        var suites = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = suites.FirstOrDefault(s => !KnownSuites.Contains(s, StringComparer.Ordinal));
        if (unknown is not null || suites.Length == 0)
        {
            throw new ArgumentException($"Unknown suite '{unknown}'; expected some of: {string.Join(", ", KnownSuites)}.");
        }

        // Always in the documented order: later suites reuse what earlier ones measured.
        return [.. KnownSuites.Where(suites.Contains)];
    }
}
