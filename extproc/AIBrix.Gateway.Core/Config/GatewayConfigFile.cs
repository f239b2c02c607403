namespace AIBrix.Gateway.Core.Config;

// The YAML shape, as written by users. Kept apart from GatewayConfig so that what is parsed and
// what is valid are two different types: validation turns one into the other.
internal sealed class GatewayConfigFile
{
    public List<EndpointEntry>? Endpoints { get; set; }

    public RoutingSection? Routing { get; set; }

    public MetricsSection? Metrics { get; set; }

    /// <summary>A scalar (<c>host:port[,host:port...][,serviceName=NAME]</c>) or a mapping (mode, endpoints, serviceName): see <see cref="RedisAddress"/>.</summary>
    public object? Redis { get; set; }

    public ResilienceSection? Resilience { get; set; }

    internal sealed class ResilienceSection
    {
        public int? Retries { get; set; }

        public int? EjectAfterFailures { get; set; }

        public int? EjectSeconds { get; set; }
    }

    public AuthSection? Auth { get; set; }

    public LimitsSection? Limits { get; set; }

    internal sealed class AuthSection
    {
        public string? Mode { get; set; }

        public bool? EnforceInExtProc { get; set; }

        public int? KeyCacheSeconds { get; set; }

        public int? KeyStaleIfErrorSeconds { get; set; }
    }

    internal sealed class LimitsSection
    {
        public string? FailureMode { get; set; }

        public int? DefaultMaxTokens { get; set; }

        public int? PromptBytesPerToken { get; set; }

        public int? PromptOverheadTokens { get; set; }

        public Dictionary<string, long>? ModelRps { get; set; }
    }

    internal sealed class EndpointEntry
    {
        public string? Name { get; set; }

        public string? Address { get; set; }

        public string? Model { get; set; }

        public string? Engine { get; set; }

        public int? MetricsPort { get; set; }

        public Dictionary<string, string>? Labels { get; set; }

        public List<string>? Adapters { get; set; }
    }

    internal sealed class RoutingSection
    {
        public string? DefaultStrategy { get; set; }

        public int? MetricsStaleAfterMs { get; set; }

        public int? DefaultOutputTokens { get; set; }

        public PrefixCacheSection? PrefixCache { get; set; }

        public LoadGuardSection? LoadGuard { get; set; }

        public KvEventsSection? KvEvents { get; set; }

        public KvCostSection? KvCost { get; set; }
    }

    internal sealed class KvEventsSection
    {
        public int? MaxBlocksPerPod { get; set; }

        public int? ResyncSeconds { get; set; }

        public bool? Enabled { get; set; }

        public int? Port { get; set; }

        public int? ReplayPort { get; set; }

        public string? Topic { get; set; }

        public string? Hasher { get; set; }

        public int? BlockSize { get; set; }

        public string? PythonHashSeed { get; set; }

        public string? Tokenizer { get; set; }

        public string? ChatTemplate { get; set; }
    }

    internal sealed class KvCostSection
    {
        public double? PrefillTokensPerSecond { get; set; }

        public double? DecodeMsPerRequest { get; set; }

        public double? OverlapWeight { get; set; }

        public double? KvUsageSeconds { get; set; }

        public bool? UseEngineLoad { get; set; }

        public bool? UseEnginePrefillQueue { get; set; }
    }

    internal sealed class PrefixCacheSection
    {
        public string? Tokenizer { get; set; }

        public int? BlockSize { get; set; }

        public int? MaxEntries { get; set; }

        public int? ExpirySeconds { get; set; }
    }

    internal sealed class LoadGuardSection
    {
        public int? AbsoluteImbalance { get; set; }

        public double? StddevFactor { get; set; }
    }

    internal sealed class MetricsSection
    {
        public int? ScrapeIntervalMs { get; set; }

        public int? ScrapeTimeoutMs { get; set; }
    }
}
