namespace AIBrix.Bench.Replay;

/// <summary>
/// Load shapes the recorded traces lack, for autoscaling: a <c>ramp</c> (the rate goes linearly from
/// <c>from</c> to <c>to</c> over the run), a square <c>burst</c> (<c>low</c>, then <c>high</c> for <c>on</c>
/// seconds at the start of every <c>period</c>, after a quiet <c>start</c>) and a <c>diurnal</c> cycle (a
/// cosine between <c>low</c> and <c>high</c> with the given <c>period</c>, starting at the low point). Arrivals
/// follow the rate as a Poisson process (thinning) or evenly spaced; prompts and answers vary uniformly by
/// ±<c>spread</c> around <c>input</c> and <c>output</c> tokens and share no prefix.
/// </summary>
public static class LoadShapeWorkload
{
    /// <summary>A linear ramp.</summary>
    public const string Ramp = "ramp";

    /// <summary>A square wave: bursts of <c>high</c> over a <c>low</c> base.</summary>
    public const string Burst = "burst";

    /// <summary>A daily-like cosine cycle.</summary>
    public const string Diurnal = "diurnal";

    /// <summary>The shapes' names.</summary>
    public static readonly string[] Names = [Ramp, Burst, Diurnal];

    /// <summary>First block id of these prompts: apart from the readers' and the shared-prefix generator's ids.</summary>
    private const long BlockBase = 1L << 52;

    /// <summary>One shape and its numbers; the defaults are a 30-minute run between 2 and 16 requests per second.</summary>
    public sealed record Options
    {
        /// <summary>Keys <see cref="From"/> reads, for errors.</summary>
        public static readonly string[] Keys =
        [
            "duration (s)", "low / from (req/s)", "high / to (req/s)", "period (s)", "on (s, burst)", "start (s, burst)",
            "input (tokens)", "output (tokens)", "spread (0-0.9)", "arrival (poisson|uniform)", "seed",
        ];

        public string Shape { get; init; } = Burst;
        public double DurationSeconds { get; init; } = 1800;
        public double Low { get; init; } = 2;
        public double High { get; init; } = 16;
        public double PeriodSeconds { get; init; } = 900;
        public double OnSeconds { get; init; } = 300;
        public double StartSeconds { get; init; } = 300;
        public int InputTokens { get; init; } = 1024;
        public int OutputTokens { get; init; } = 256;
        public double Spread { get; init; } = 0.5;
        public bool Poisson { get; init; } = true;
        public int Seed { get; init; }

        /// <summary>Reads <c>key=value</c> pairs for <paramref name="shape"/>.</summary>
        public static Options From(string shape, GeneratorParameters p)
        {
            var d = new Options();
            bool ramp = shape == Ramp;
            var options = new Options
            {
                Shape = shape,
                DurationSeconds = p.Double("duration", d.DurationSeconds, 1),
                Low = p.Double(ramp ? "from" : "low", d.Low, 0),
                High = p.Double(ramp ? "to" : "high", d.High, 0),
                PeriodSeconds = shape == Ramp ? d.PeriodSeconds : p.Double("period", shape == Diurnal ? 1800 : d.PeriodSeconds, 1),
                OnSeconds = shape == Burst ? p.Double("on", d.OnSeconds, 0) : d.OnSeconds,
                StartSeconds = shape == Burst ? p.Double("start", d.StartSeconds, 0) : d.StartSeconds,
                InputTokens = p.Int("input", d.InputTokens, 1),
                OutputTokens = p.Int("output", d.OutputTokens, 1),
                Spread = p.Double("spread", d.Spread, 0),
                Poisson = p.Choice("arrival", "poisson", "poisson", "uniform") == "poisson",
                Seed = p.Int("seed", 0, int.MinValue),
            };
            p.EnsureAllRead(Keys);
            if (options.Spread > 0.9)
            {
                throw new FormatException($"{p.Spec}: spread={options.Spread} must be at most 0.9");
            }

            if (options.High <= 0 && options.Low <= 0)
            {
                throw new FormatException($"{p.Spec}: the rate is zero throughout; give a positive {(ramp ? "from or to" : "low or high")}");
            }

            if (shape == Burst && options.OnSeconds > options.PeriodSeconds)
            {
                throw new FormatException($"{p.Spec}: on={options.OnSeconds} is longer than period={options.PeriodSeconds}");
            }

            return options;
        }

        /// <summary>Requests per second at <paramref name="t"/> seconds.</summary>
        public double RateAt(double t) => Shape switch
        {
            Ramp => Low + ((High - Low) * Math.Clamp(t / DurationSeconds, 0, 1)),
            Burst => t >= StartSeconds && ((t - StartSeconds) % PeriodSeconds) < OnSeconds ? High : Low,
            _ => Low + ((High - Low) * (1 - Math.Cos(2 * Math.PI * t / PeriodSeconds)) / 2),
        };
    }

    /// <summary>The requests, in arrival order from time 0.</summary>
    public static IReadOnlyList<TraceRequest> Generate(Options options)
    {
        var random = new Random(options.Seed);
        double peak = Math.Max(options.Low, options.High);
        var requests = new List<TraceRequest>((int)Math.Min(10_000_000, peak * options.DurationSeconds));
        long nextBlock = BlockBase;
        double t = 0;
        while (true)
        {
            if (options.Poisson)
            {
                // Thinning (Lewis-Shedler): candidates at the peak rate, each kept with probability rate(t)/peak.
                t += -Math.Log(1 - random.NextDouble()) / peak;
                if (t >= options.DurationSeconds)
                {
                    break;
                }

                if (random.NextDouble() * peak >= options.RateAt(t))
                {
                    continue;
                }
            }
            else
            {
                double rate = options.RateAt(t);
                // A zero-rate stretch is skipped a second at a time until the rate comes back.
                t += rate > 0 ? 1 / rate : 1;
                if (t >= options.DurationSeconds)
                {
                    break;
                }

                if (rate <= 0)
                {
                    continue;
                }
            }

            int input = Vary(options.InputTokens, options.Spread, random);
            int output = Vary(options.OutputTokens, options.Spread, random);
            var blocks = new long[(input + TraceRequest.BlockTokens - 1) / TraceRequest.BlockTokens];
            for (int b = 0; b < blocks.Length; b++)
            {
                blocks[b] = nextBlock++;
            }

            requests.Add(new TraceRequest(t, input, output, blocks));
        }

        return requests;
    }

    private static int Vary(int mean, double spread, Random random) =>
        Math.Max(1, (int)Math.Round(mean * (1 + (spread * ((2 * random.NextDouble()) - 1)))));
}
