namespace AIBrix.Gateway.Core.Routing.Prefix;

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
