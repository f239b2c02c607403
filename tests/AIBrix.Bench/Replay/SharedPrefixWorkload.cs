namespace AIBrix.Bench.Replay;

/// <summary>
/// Groups of users sharing long system prompts, as the gateway-api-inference-extension benchmarks load them
/// (inference-perf's <c>shared_prefix</c> data: <c>num_groups</c>, <c>num_prompts_per_group</c>,
/// <c>system_prompt_len</c>, <c>question_len</c>, <c>output_len</c>): each of G groups has one system prompt;
/// each of its P prompts is that system prompt plus a question of its own. The G·P prompts are shuffled and
/// sent at <c>rate</c> requests per second (Poisson arrivals, or evenly spaced); <c>requests</c> larger than
/// G·P sends them again, in a new shuffle (users asking the same question again).
/// </summary>
/// <remarks>
/// Prompts are made of the trace format's 512-token blocks (<see cref="TraceRequest.BlockTokens"/>): a system
/// prompt is whole blocks (its length is rounded to the nearest multiple of 512, at least one block), so two
/// prompts of a group share exactly their system prompt; questions are blocks no other prompt has.
/// </remarks>
public static class SharedPrefixWorkload
{
    /// <summary>The generator's name in <c>gen:shared-prefix?...</c>.</summary>
    public const string Name = "shared-prefix";

    /// <summary>First block id of generated prompts, far from the ids the trace readers hand out.</summary>
    private const long BlockBase = 1L << 50;

    /// <summary>The workload's shape; defaults give 8 groups × 32 prompts of a 4,096-token system prompt.</summary>
    public sealed record Options
    {
        /// <summary>Keys <see cref="From"/> reads, for errors.</summary>
        public static readonly string[] Keys =
        [
            "groups (num_groups)", "prompts (num_prompts_per_group)", "system (system_prompt_len)", "question (question_len)",
            "output (output_len)", "rate", "requests", "arrival (poisson|uniform)", "seed",
        ];

        public int Groups { get; init; } = 8;
        public int PromptsPerGroup { get; init; } = 32;
        public int SystemPromptTokens { get; init; } = 4096;
        public int QuestionTokens { get; init; } = 256;
        public int OutputTokens { get; init; } = 256;

        /// <summary>Requests per second.</summary>
        public double Rate { get; init; } = 10;

        /// <summary>Requests to send; null sends each prompt once.</summary>
        public int? Requests { get; init; }

        /// <summary>Exponential gaps (a Poisson process) or equal ones.</summary>
        public bool Poisson { get; init; } = true;

        public int Seed { get; init; }

        /// <summary>Reads <c>key=value</c> pairs: the short keys or inference-perf's names.</summary>
        public static Options From(GeneratorParameters p)
        {
            var defaults = new Options();
            int requests = p.Int("requests", -1, 1);
            var options = new Options
            {
                Groups = p.Int("groups", defaults.Groups, 1, "num_groups"),
                PromptsPerGroup = p.Int("prompts", defaults.PromptsPerGroup, 1, "num_prompts_per_group"),
                SystemPromptTokens = p.Int("system", defaults.SystemPromptTokens, 1, "system_prompt_len"),
                QuestionTokens = p.Int("question", defaults.QuestionTokens, 1, "question_len"),
                OutputTokens = p.Int("output", defaults.OutputTokens, 1, "output_len"),
                Rate = p.Double("rate", defaults.Rate, double.Epsilon),
                Requests = requests < 0 ? null : requests,
                Poisson = p.Choice("arrival", "poisson", "poisson", "uniform") == "poisson",
                Seed = p.Int("seed", 0, int.MinValue),
            };
            p.EnsureAllRead(Keys);
            return options;
        }
    }

    /// <summary>The requests, in arrival order from time 0.</summary>
    public static IReadOnlyList<TraceRequest> Generate(Options options)
    {
        int systemBlocks = Math.Max(1, (int)Math.Round(options.SystemPromptTokens / (double)TraceRequest.BlockTokens, MidpointRounding.AwayFromZero));
        int questionBlocks = (options.QuestionTokens + TraceRequest.BlockTokens - 1) / TraceRequest.BlockTokens;
        int prompts = options.Groups * options.PromptsPerGroup;
        int total = options.Requests ?? prompts;
        var random = new Random(options.Seed);
        var order = new int[prompts];
        var requests = new List<TraceRequest>(total);
        double poissonTime = 0;
        for (int sent = 0; sent < total; sent++)
        {
            if (sent % prompts == 0)
            {
                for (int i = 0; i < prompts; i++)
                {
                    order[i] = i;
                }

                random.Shuffle(order);
            }

            int prompt = order[sent % prompts];
            int group = prompt / options.PromptsPerGroup;
            var blocks = new long[systemBlocks + questionBlocks];
            for (int b = 0; b < systemBlocks; b++)
            {
                blocks[b] = BlockBase + (long)group * systemBlocks + b;
            }

            long questionBase = BlockBase + (long)options.Groups * systemBlocks + (long)prompt * questionBlocks;
            for (int b = 0; b < questionBlocks; b++)
            {
                blocks[systemBlocks + b] = questionBase + b;
            }

            double time = options.Poisson ? poissonTime : sent / options.Rate;
            requests.Add(new TraceRequest(time, systemBlocks * TraceRequest.BlockTokens + options.QuestionTokens, options.OutputTokens, blocks));
            poissonTime += -Math.Log(1 - random.NextDouble()) / options.Rate;
        }

        return requests;
    }
}
