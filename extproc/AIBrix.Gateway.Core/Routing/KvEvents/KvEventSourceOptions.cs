using System.Globalization;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>Which engine block hash the gateway computes for a request (YAML <c>routing.kvEvents.hasher</c>).</summary>
public enum EngineHasherKind
{
    /// <summary>None: events are not subscribed to and the event strategies use the gateway's estimate.</summary>
    None,

    /// <summary>The engine simulator's tokenizer and chained XxHash64 (<c>sim</c>).</summary>
    Sim,

    /// <summary>vLLM's <c>--prefix-caching-hash-algo sha256_cbor</c> over token ids (<c>vllm-sha256-cbor</c>).</summary>
    VllmSha256Cbor,
}

/// <summary>
/// Where the gateway finds each engine's KV event stream (vLLM <c>--kv-events-config</c>, the simulator's
/// <c>--kv-events-port</c>) and how it computes the engines' block hashes: the YAML <c>routing.kvEvents</c>
/// section, each setting overridable per endpoint by the labels in <see cref="Labels"/> (static endpoints'
/// <c>labels</c>, pod labels or annotations under Kubernetes discovery).
/// </summary>
public sealed record KvEventSourceOptions
{
    /// <summary>vLLM's default publisher port (<c>tcp://*:5557</c>).</summary>
    public const int DefaultPort = 5557;

    /// <summary>Subscribe to every ready endpoint (default false: only endpoints labelled to publish).</summary>
    public bool Enabled { get; init; }

    /// <summary>The engines' PUB port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The engines' replay (ROUTER) port, or null: then a gap is never filled, only resynced.</summary>
    public int? ReplayPort { get; init; }

    /// <summary>Topic prefix ("" takes all, vLLM's default topic).</summary>
    public string Topic { get; init; } = "";

    /// <summary>The engine block hash to compute (must not be <see cref="EngineHasherKind.None"/> when subscribing).</summary>
    public EngineHasherKind Hasher { get; init; } = EngineHasherKind.None;

    /// <summary>Tokens per engine block (vLLM's <c>--block-size</c>, default 16; the simulator's is 16).</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>The engines' <c>PYTHONHASHSEED</c> (vllm-sha256-cbor: required, vLLM's chain seed derives from it).</summary>
    public string? PythonHashSeed { get; init; }

    /// <summary>
    /// vllm-sha256-cbor: how text prompts become token ids: a SentencePiece <c>.model</c> file path, or
    /// <c>cl100k_base</c>; null hashes only prompts given as token ids.
    /// </summary>
    public string? Tokenizer { get; init; }

    /// <summary>
    /// vllm-sha256-cbor: the chat template to render chat requests with before tokenizing (<c>llama3</c> or
    /// <c>chatml</c>, text-only messages), or null: chat requests are not keyed and route on the estimate.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>The stream of an endpoint at <paramref name="host"/> with <paramref name="labels"/>, or null when it publishes none.</summary>
    public KvEventSource? For(string host, IReadOnlyDictionary<string, string> labels)
    {
        bool enabled = Labels.Enabled(labels) ?? (Enabled || labels.ContainsKey(Labels.Port));
        if (!enabled)
        {
            return null;
        }

        int port = Labels.Int(labels, Labels.Port) ?? Port;
        int? replay = Labels.Int(labels, Labels.ReplayPort) ?? ReplayPort;
        string topic = labels.TryGetValue(Labels.Topic, out var t) ? t : Topic;
        string h = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return new KvEventSource($"tcp://{h}:{port}", replay is { } r ? $"tcp://{h}:{r}" : null, topic);
    }

    /// <summary>Every error (empty when valid), named as in the YAML.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 1 or > 65535)
        {
            errors.Add("routing.kvEvents.port must be 1-65535");
        }

        if (ReplayPort is < 1 or > 65535)
        {
            errors.Add("routing.kvEvents.replayPort must be 1-65535");
        }

        if (BlockSize is < 1 or > 4096)
        {
            errors.Add("routing.kvEvents.blockSize must be 1-4096");
        }

        if (Enabled && Hasher == EngineHasherKind.None)
        {
            errors.Add("routing.kvEvents.enabled needs routing.kvEvents.hasher (sim or vllm-sha256-cbor): without the engines' block hash the events cannot be looked up");
        }

        if (Hasher == EngineHasherKind.VllmSha256Cbor && string.IsNullOrEmpty(PythonHashSeed))
        {
            errors.Add("routing.kvEvents.hasher vllm-sha256-cbor needs routing.kvEvents.pythonHashSeed, the PYTHONHASHSEED the vLLM pods run with (without it vLLM's chain seed is random per process)");
        }

        if (ChatTemplate is not null and not ("llama3" or "chatml"))
        {
            errors.Add($"routing.kvEvents.chatTemplate: '{ChatTemplate}' is not one of llama3, chatml");
        }
        else if (ChatTemplate is not null && (Hasher != EngineHasherKind.VllmSha256Cbor || string.IsNullOrEmpty(Tokenizer)))
        {
            errors.Add("routing.kvEvents.chatTemplate needs hasher vllm-sha256-cbor and a tokenizer (the sim hasher renders the simulator's own template)");
        }

        return errors;
    }

    /// <summary>The per-endpoint labels (or pod annotations) that override these settings.</summary>
    public static class Labels
    {
        /// <summary>"true" subscribes to this endpoint, "false" never does.</summary>
        public const string EnabledLabel = "kv-events.aibrix.ai/enabled";

        /// <summary>The engine's PUB port (its presence alone enables the endpoint).</summary>
        public const string Port = "kv-events.aibrix.ai/port";

        /// <summary>The engine's replay port.</summary>
        public const string ReplayPort = "kv-events.aibrix.ai/replay-port";

        /// <summary>The topic prefix.</summary>
        public const string Topic = "kv-events.aibrix.ai/topic";

        /// <summary>The label prefix (annotations under it are read as labels by Kubernetes discovery).</summary>
        public const string Prefix = "kv-events.aibrix.ai/";

        internal static bool? Enabled(IReadOnlyDictionary<string, string> labels) =>
            labels.TryGetValue(EnabledLabel, out var v) && bool.TryParse(v, out bool b) ? b : null;

        internal static int? Int(IReadOnlyDictionary<string, string> labels, string key) =>
            labels.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535 ? p : null;
    }
}

/// <summary>One endpoint's KV event stream.</summary>
/// <param name="Endpoint">PUB endpoint, <c>tcp://host:port</c>.</param>
/// <param name="ReplayEndpoint">Replay endpoint, or null.</param>
/// <param name="Topic">Topic prefix.</param>
public sealed record KvEventSource(string Endpoint, string? ReplayEndpoint, string Topic);
