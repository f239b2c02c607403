using System.Globalization;

namespace AIBrix.Bench.Replay;

/// <summary><c>aibrix-bench replay</c>: one policy over one trace, in virtual time or against a live gateway.</summary>
public static class ReplayCommand
{
    private const string Usage = """
        usage: aibrix-bench replay --trace FILE --pods N --policy NAME (--virtual-time | --gateway URL)
                 [--time-scale X] [--json] [--seed S] [--limit N] [--scrape-interval-ms 50] [--num-gpu-blocks B]
          --trace: Mooncake .jsonl or Azure .csv (e.g. tests/data/mooncake/conversation_trace.jsonl)
          --policy: any routing strategy the gateway knows (random, least-request, a weighted mix ...) or oracle
          --time-scale X: arrivals X times faster than recorded (more load)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ReplayOptions options;
        Uri? gateway = null;
        bool json = false, virtualTime = false;
        try
        {
            var parsed = ParseCommon(args, out var extra);
            foreach (var (name, value) in extra)
            {
                switch (name)
                {
                    case "--json": json = true; break;
                    case "--virtual-time": virtualTime = true; break;
                    case "--gateway": gateway = new Uri(value ?? throw new FormatException("--gateway needs a URL"), UriKind.Absolute); break;
                    default: throw new FormatException($"unknown option {name}");
                }
            }

            options = parsed;
            var errors = options.Validate().ToList();
            if (virtualTime == (gateway is not null))
            {
                errors.Add("choose one of --virtual-time and --gateway URL");
            }

            if (errors.Count > 0)
            {
                throw new FormatException(string.Join("; ", errors));
            }
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"replay: {e.Message}\n{Usage}");
            return 2;
        }

        try
        {
            var trace = TraceReader.Read(options.TracePath, options.Limit);
            ReplayResult result = gateway is null
                ? new VirtualReplay(options, trace).Run()
                : await GatewayReplay.RunAsync(options, trace, gateway, CancellationToken.None);
            var summary = result.Summarise();
            Console.WriteLine(json ? summary.ToJson() : Describe(summary));
            if (result.FirstError is { } firstError)
            {
                await Console.Error.WriteLineAsync($"replay: {summary.Errors} requests failed; the first: {firstError}");
            }

            return summary.Errors == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"replay: {e.Message}");
            return 2;
        }
    }

    /// <summary>One human-readable line per headline number.</summary>
    public static string Describe(ReplaySummary s) => string.Create(CultureInfo.InvariantCulture, $"""
        {s.Trace}, {s.Pods} pods, policy {s.Policy}, {s.Mode} time x{s.TimeScale}, seed {s.Seed}
          requests {s.Requests} (errors {s.Errors}), {s.DurationS:F1} s, {s.ThroughputTokS:F0} output tok/s
          TTFT  p50 {s.TtftP50Ms:F1} ms  p90 {s.TtftP90Ms:F1} ms  p99 {s.TtftP99Ms:F1} ms
          TPOT  p50 {s.TpotP50Ms:F1} ms   E2E p50 {s.E2eP50Ms:F1} ms  p99 {s.E2eP99Ms:F1} ms
          prefix hit rate {s.PrefixHitRate:P1}, preemptions {s.Preemptions}, per-pod requests [{string.Join(", ", s.PodRequests)}] (max/mean {s.PodLoadSpread:F2})
        """);

    /// <summary>
    /// Parses the options every replay-like command shares; the rest come back in <paramref name="extra"/>
    /// (name and, for options that take one, the value).
    /// </summary>
    public static ReplayOptions ParseCommon(string[] args, out List<(string Name, string? Value)> extra)
    {
        extra = [];
        string trace = "", policy = "random";
        int pods = 4, seed = 0, blocks = 29_952;
        int? limit = null;
        double scale = 1, scrapeMs = 50;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--trace": trace = Value(); break;
                case "--pods": pods = Int(Value(), "--pods"); break;
                case "--policy": policy = Value(); break;
                case "--seed": seed = Int(Value(), "--seed"); break;
                case "--limit": limit = Int(Value(), "--limit"); break;
                case "--time-scale": scale = Double(Value(), "--time-scale"); break;
                case "--scrape-interval-ms": scrapeMs = Double(Value(), "--scrape-interval-ms"); break;
                case "--num-gpu-blocks": blocks = Int(Value(), "--num-gpu-blocks"); break;
                case "--gateway" or "--policies" or "--out": extra.Add((args[i], Value())); break;
                default: extra.Add((args[i], null)); break;
            }
        }

        if (trace.Length == 0)
        {
            throw new FormatException("--trace is required");
        }

        return new ReplayOptions
        {
            TracePath = trace,
            Pods = pods,
            Policy = policy,
            Seed = seed,
            Limit = limit,
            TimeScale = scale,
            ScrapeIntervalSeconds = scrapeMs / 1000,
            NumGpuBlocks = blocks,
        };
    }

    private static int Int(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new FormatException($"{name}: '{text}' is not an integer");

    private static double Double(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"{name}: '{text}' is not a number");
}
