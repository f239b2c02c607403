namespace AIBrix.Gateway.Core.Routing;

/// <summary>How the prefix policies cut a prompt into tokens before hashing blocks.</summary>
public enum PrefixTokenizerKind
{
    /// <summary>UTF-16 characters (AIBrix's default <c>character</c> tokenizer; block size 128 recommended).</summary>
    Characters,

    /// <summary>UTF-8 bytes of the prompt: no decoding at all.</summary>
    Bytes,

    /// <summary>OpenAI's cl100k_base through Microsoft.ML.Tokenizers (AIBrix's <c>tiktoken</c>; block size 16 recommended).</summary>
    Tiktoken,
}

/// <summary>Prefix-index settings (the YAML <c>routing.prefixCache</c> section). Defaults follow AIBrix.</summary>
public sealed record PrefixCacheOptions
{
    /// <summary>Tokenizer (default characters, as AIBrix).</summary>
    public PrefixTokenizerKind Tokenizer { get; init; } = PrefixTokenizerKind.Characters;

    /// <summary>Tokens per block (default 128, AIBrix's for the character tokenizer).</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>Most (block, pod) entries kept; the least recently used go first (default 200,000, AIBrix's block number).</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>An entry unused this long is forgotten (default 20 minutes: longer than engines keep a cold prefix).</summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromMinutes(20);
}

/// <summary>
/// Hot-spot guards of cache-affinity policies (the YAML <c>routing.loadGuard</c> section), applied to each
/// candidate: a pod may win by its cache only while its in-flight count is within
/// <see cref="AbsoluteImbalance"/> of the least loaded candidate and at most mean + <see cref="StddevFactor"/>·σ.
/// </summary>
public sealed record LoadGuardOptions
{
    /// <summary>Most in-flight requests above the least loaded candidate (default 16, AIBrix's imbalance count).</summary>
    public int AbsoluteImbalance { get; init; } = 16;

    /// <summary>Standard deviations above the candidates' mean load allowed (default 2, AIBrix's load factor).</summary>
    public double StddevFactor { get; init; } = 2;
}

/// <summary>Settings of the routing policies (the YAML <c>routing</c> section).</summary>
public sealed record RoutingOptions
{
    /// <summary>The defaults.</summary>
    public static RoutingOptions Default { get; } = new();

    /// <summary>Prefix index.</summary>
    public PrefixCacheOptions PrefixCache { get; init; } = new();

    /// <summary>Hot-spot guards.</summary>
    public LoadGuardOptions LoadGuard { get; init; } = new();

    /// <summary>
    /// Engine metrics older than this make metric-driven policies fall back (default 2 s: 40 scrapes at the
    /// default 50 ms interval; the config loader raises it to 3 scrape intervals when scrapes are slower).
    /// </summary>
    public TimeSpan MetricsStaleAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Output tokens assumed when a request sets no <c>max_tokens</c> (default 128), for latency and token-load estimates.</summary>
    public int DefaultOutputTokens { get; init; } = 128;
}
