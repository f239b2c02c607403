namespace AIBrix.EngineSim;

/// <summary>Cumulative counters and histograms of one engine, the data behind <c>/metrics</c>.</summary>
public sealed class EngineCounters
{
    /// <summary>Prompt tokens of requests that produced their first token.</summary>
    public long PromptTokens { get; internal set; }

    /// <summary>Generated tokens.</summary>
    public long GenerationTokens { get; internal set; }

    /// <summary>Preemptions (recompute).</summary>
    public long Preemptions { get; internal set; }

    /// <summary>Prompt tokens looked up in the prefix cache.</summary>
    public long PrefixCacheQueries { get; internal set; }

    /// <summary>Prompt tokens found in the prefix cache.</summary>
    public long PrefixCacheHits { get; internal set; }

    /// <summary>Finished with finish_reason "stop".</summary>
    public long FinishedStop { get; internal set; }

    /// <summary>Finished with finish_reason "length".</summary>
    public long FinishedLength { get; internal set; }

    /// <summary>Aborted by the client.</summary>
    public long Aborted { get; internal set; }

    /// <summary>Engine steps run.</summary>
    public long Steps { get; internal set; }

    /// <summary>Arrival to first token.</summary>
    public LatencyHistogram TimeToFirstToken { get; } = new(LatencyHistogram.TimeToFirstTokenBuckets());

    /// <summary>Gap between consecutive tokens of a request.</summary>
    public LatencyHistogram InterTokenLatency { get; } = new(LatencyHistogram.InterTokenBuckets());

    /// <summary>Per request: (last token − first token) / (output tokens − 1).</summary>
    public LatencyHistogram TimePerOutputToken { get; } = new(LatencyHistogram.InterTokenBuckets());

    /// <summary>Arrival to last token.</summary>
    public LatencyHistogram EndToEndLatency { get; } = new(LatencyHistogram.RequestLatencyBuckets());

    /// <summary>Arrival to first scheduling.</summary>
    public LatencyHistogram QueueTime { get; } = new(LatencyHistogram.RequestLatencyBuckets());
}
