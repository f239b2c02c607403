namespace AIBrix.EngineSim;

/// <summary>Settings of a simulator process or in-process host; every flag of <c>aibrix-enginesim</c> maps to one property.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Independent engines to start (<c>--instances</c>), on ports Port..Port+N-1.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>Address to bind (<c>--host</c>); loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>First port (<c>--port</c>); 0 picks a free port per instance.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Served model name (<c>--model</c>).</summary>
    public string Model { get; init; } = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>Seed of generated text, lengths and fault sampling (<c>--seed</c>).</summary>
    public long Seed { get; init; }

    /// <summary>Simulated time runs this many times faster than the wall clock (<c>--time-scale</c>).</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>Context length (<c>--max-model-len</c>).</summary>
    public int MaxModelLen { get; init; } = 32_768;

    /// <summary>KV capacity in 16-token blocks (<c>--num-gpu-blocks</c>); null takes the profile's or 29,952.</summary>
    public int? NumGpuBlocks { get; init; }

    /// <summary>Batch size limit (<c>--max-num-seqs</c>).</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Token budget per step (<c>--max-num-batched-tokens</c>).</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>Step-time model (<c>--profile FILE</c>); not combined with <see cref="Gpu"/>.</summary>
    public StepTimeProfile Profile { get; init; } = StepTimeProfile.H100Llama8B;

    /// <summary>
    /// GPU to simulate (<c>--gpu NAME</c>, see <see cref="GpuCatalog"/>): step times and KV capacity then follow from its
    /// specification and the model's architecture by the roofline (<see cref="RooflineStepTime"/>). Null keeps
    /// <see cref="Profile"/>.
    /// </summary>
    public GpuSpec? Gpu { get; init; }

    /// <summary>Architecture of the served model for <see cref="Gpu"/>; null looks it up from <see cref="Model"/> (<see cref="ModelCatalog"/>).</summary>
    public ModelArchitecture? Architecture { get; init; }

    /// <summary>Whether prefix caching is on (<c>--no-prefix-caching</c> turns it off).</summary>
    public bool EnablePrefixCaching { get; init; } = true;

    /// <summary><c>/metrics</c> names (<c>--metrics-dialect vllm-v1|vllm-v0|sglang</c>).</summary>
    public MetricsDialect MetricsDialect { get; init; } = MetricsDialect.VllmV1;

    /// <summary>Most LoRA adapters loaded at once (<c>--max-loras</c>).</summary>
    public int MaxLoras { get; init; } = 4;

    /// <summary>Simulated time to load an adapter (<c>--lora-load-time</c> in ms); divided by <see cref="TimeScale"/>.</summary>
    public TimeSpan LoraLoadTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Mean output length when a request sets no max_tokens (<c>--output-len-mean</c>).</summary>
    public int OutputLenMean { get; init; } = 128;

    /// <summary>Length of embedding vectors (<c>--embedding-dim</c>).</summary>
    public int EmbeddingDimensions { get; init; } = 384;

    /// <summary>
    /// First port of vLLM's KV-cache event stream (<c>--kv-events-port</c>, ZeroMQ PUB): instance i publishes on
    /// port + i, as vLLM offsets its endpoint by data-parallel rank; 0 gives each instance a free port; null (the
    /// default) publishes nothing.
    /// </summary>
    public int? KvEventsPort { get; init; }

    /// <summary>First port of the replay (ROUTER) socket (<c>--kv-events-replay-port</c>), or null for none.</summary>
    public int? KvEventsReplayPort { get; init; }

    /// <summary>Topic frame of every event message (<c>--kv-events-topic</c>); vLLM's default is empty.</summary>
    public string KvEventsTopic { get; init; } = "";

    /// <summary>Event layout (<c>--kv-events-encoding map|array</c>): current vLLM's maps, or earlier releases' arrays.</summary>
    public AIBrix.KvEvents.KvEventEncoding KvEventsEncoding { get; init; } = AIBrix.KvEvents.KvEventEncoding.Map;

    /// <summary>Batches kept for replay per instance (vLLM's <c>buffer_steps</c>).</summary>
    public int KvEventsReplayBufferSteps { get; init; } = AIBrix.KvEvents.KvEventWire.DefaultReplayBufferSteps;

    /// <summary>The step-time model: the GPU's roofline when <see cref="Gpu"/> is set, otherwise <see cref="Profile"/>.</summary>
    /// <exception cref="InvalidOperationException">A GPU is set but the model's architecture is unknown (<see cref="Validate"/> says so first).</exception>
    public IStepTimeModel StepTimeModel => Gpu is null
        ? Profile
        : new RooflineStepTime(Gpu, ResolveArchitecture() ?? throw new InvalidOperationException(UnknownArchitecture()));

    /// <summary>The engine configuration these options describe.</summary>
    public EngineConfig ToEngineConfig()
    {
        var stepTime = StepTimeModel;
        return new EngineConfig
        {
            NumGpuBlocks = NumGpuBlocks ?? stepTime.NumGpuBlocks ?? 29_952,
            MaxNumSeqs = MaxNumSeqs,
            MaxNumBatchedTokens = MaxNumBatchedTokens,
            MaxModelLen = MaxModelLen,
            EnablePrefixCaching = EnablePrefixCaching,
            Profile = stepTime,
        };
    }

    private ModelArchitecture? ResolveArchitecture() => Architecture ?? ModelCatalog.Find(Model);

    private string UnknownArchitecture() =>
        $"--gpu needs the served model's architecture, and '{Model}' is not one the simulator knows ({ModelCatalog.KnownNames}); " +
        "serve one of those with --model, or use --profile";

    /// <summary>Every problem with the options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Instances is < 1 or > 256)
        {
            errors.Add("--instances must be between 1 and 256");
        }

        if (Port < 0 || Port + Math.Max(Instances, 1) - 1 > 65535)
        {
            errors.Add("--port must be 0 (dynamic) or leave room for all instances below 65536");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            errors.Add("--model must not be empty");
        }

        if (!(TimeScale > 0) || double.IsInfinity(TimeScale))
        {
            errors.Add("--time-scale must be a positive number");
        }

        if (MaxLoras < 0)
        {
            errors.Add("--max-loras must be >= 0");
        }

        if (LoraLoadTime < TimeSpan.Zero)
        {
            errors.Add("--lora-load-time must be >= 0");
        }

        if (OutputLenMean < 1)
        {
            errors.Add("--output-len-mean must be >= 1");
        }

        if (EmbeddingDimensions is < 1 or > 65536)
        {
            errors.Add("--embedding-dim must be between 1 and 65536");
        }

        ValidateKvEvents(errors);

        if (Gpu is not null && Profile != StepTimeProfile.H100Llama8B)
        {
            errors.Add("--gpu and --profile cannot be combined: the GPU's step times come from its specification");
        }

        if (Gpu is not null && ResolveArchitecture() is null)
        {
            errors.Add(UnknownArchitecture());
            return errors;
        }

        errors.AddRange(ToEngineConfig().Validate().Select(e => "--" + e));
        return errors;
    }

    private void ValidateKvEvents(List<string> errors)
    {
        int span = Math.Max(Instances, 1) - 1;
        if (KvEventsPort is { } port && (port < 0 || port + span > 65535))
        {
            errors.Add("--kv-events-port must be 0 (dynamic) or leave room for all instances below 65536");
        }

        if (KvEventsReplayPort is { } replay)
        {
            if (KvEventsPort is null)
            {
                errors.Add("--kv-events-replay-port needs --kv-events-port");
            }

            if (replay < 0 || replay + span > 65535)
            {
                errors.Add("--kv-events-replay-port must be 0 (dynamic) or leave room for all instances below 65536");
            }
            else if (replay != 0 && KvEventsPort is { } events and not 0 && Math.Abs(replay - events) <= span)
            {
                errors.Add("--kv-events-replay-port overlaps the --kv-events-port range");
            }
        }

        if (KvEventsReplayBufferSteps < 1)
        {
            errors.Add("--kv-events-buffer-steps must be >= 1");
        }
    }
}
