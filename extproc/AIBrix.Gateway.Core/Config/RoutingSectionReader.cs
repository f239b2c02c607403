using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Config;

/// <summary>Validates the <c>routing:</c> section, adding every problem to the list.</summary>
internal static class RoutingSectionReader
{
    /// <summary>
    /// The default strategy: <c>routing.defaultStrategy</c>, else the <c>ROUTING_ALGORITHM</c> value, else null; a name
    /// <paramref name="isKnownStrategy"/> does not know is an error naming where it came from.
    /// </summary>
    public static string? DefaultStrategy(GatewayConfigFile.RoutingSection? section, string? environmentDefault, Func<string, bool> isKnownStrategy, string source, List<string> errors)
    {
        string? strategy = section?.DefaultStrategy;
        string strategySource = "routing.defaultStrategy";
        if (string.IsNullOrWhiteSpace(strategy) && !string.IsNullOrWhiteSpace(environmentDefault))
        {
            strategy = environmentDefault;
            strategySource = GatewayHeaders.RoutingAlgorithmEnv;
        }

        if (string.IsNullOrWhiteSpace(strategy))
        {
            return null;
        }

        if (!isKnownStrategy(strategy.Trim()))
        {
            errors.Add($"{source}: {strategySource}: unknown strategy '{strategy}'");
        }

        return strategy.Trim();
    }

    /// <summary>The routing options: prefix cache, load guard, metrics staleness (never under three scrape intervals) and output tokens.</summary>
    public static RoutingOptions Read(GatewayConfigFile.RoutingSection? section, TimeSpan scrapeInterval, string source, List<string> errors)
    {
        var defaults = RoutingOptions.Default;
        var prefix = PrefixCache(section?.PrefixCache, defaults.PrefixCache, source, errors);
        var guard = LoadGuard(section?.LoadGuard, defaults.LoadGuard, source, errors);

        // Metrics can't be fresher than the scrape that brings them: never stale before three intervals.
        var staleDefault = TimeSpan.FromTicks(Math.Max(defaults.MetricsStaleAfter.Ticks, 3 * scrapeInterval.Ticks));
        var staleAfter = section?.MetricsStaleAfterMs is null
            ? staleDefault
            : TimeSpan.FromMilliseconds(ConfigBounds.Int(section.MetricsStaleAfterMs, (int)staleDefault.TotalMilliseconds, source, "routing.metricsStaleAfterMs", 10, 3_600_000, errors));
        return defaults with
        {
            PrefixCache = prefix,
            LoadGuard = guard,
            KvEvents = KvEvents(section?.KvEvents, defaults.KvEvents, source, errors),
            KvEventSources = KvEventSources(section?.KvEvents, defaults.KvEventSources, source, errors),
            KvCost = KvCost(section?.KvCost, defaults.KvCost, source, errors),
            MetricsStaleAfter = staleAfter,
            DefaultOutputTokens = ConfigBounds.Int(section?.DefaultOutputTokens, defaults.DefaultOutputTokens, source, "routing.defaultOutputTokens", 1, 1_000_000, errors),
        };
    }

    private static PrefixCacheOptions PrefixCache(GatewayConfigFile.PrefixCacheSection? p, PrefixCacheOptions prefix, string source, List<string> errors)
    {
        if (p?.Tokenizer is { } tokenizer)
        {
            switch (tokenizer.Trim().ToLowerInvariant())
            {
                case "characters" or "character":
                    prefix = prefix with { Tokenizer = PrefixTokenizerKind.Characters };
                    break;
                case "bytes":
                    prefix = prefix with { Tokenizer = PrefixTokenizerKind.Bytes };
                    break;
                case "tiktoken" or "cl100k_base":
                    prefix = prefix with { Tokenizer = PrefixTokenizerKind.Tiktoken };
                    break;
                default:
                    errors.Add($"{source}: routing.prefixCache.tokenizer: '{tokenizer}' is not one of characters, bytes, tiktoken");
                    break;
            }
        }

        return prefix with
        {
            BlockSize = ConfigBounds.Int(p?.BlockSize, prefix.BlockSize, source, "routing.prefixCache.blockSize", 1, 65_536, errors),
            MaxEntries = ConfigBounds.Int(p?.MaxEntries, prefix.MaxEntries, source, "routing.prefixCache.maxEntries", 16, 100_000_000, errors),
            Expiry = TimeSpan.FromSeconds(ConfigBounds.Int(p?.ExpirySeconds, (int)prefix.Expiry.TotalSeconds, source, "routing.prefixCache.expirySeconds", 1, 7 * 24 * 3600, errors)),
        };
    }

    private static LoadGuardOptions LoadGuard(GatewayConfigFile.LoadGuardSection? g, LoadGuardOptions guard, string source, List<string> errors)
    {
        guard = guard with { AbsoluteImbalance = ConfigBounds.Int(g?.AbsoluteImbalance, guard.AbsoluteImbalance, source, "routing.loadGuard.absoluteImbalance", 0, 1_000_000, errors) };
        if (g?.StddevFactor is { } factor)
        {
            if (!double.IsFinite(factor) || factor < 0 || factor > 100)
            {
                errors.Add($"{source}: routing.loadGuard.stddevFactor: {factor} is outside 0-100");
            }
            else
            {
                guard = guard with { StddevFactor = factor };
            }
        }

        return guard;
    }

    private static KvBlockIndexOptions KvEvents(GatewayConfigFile.KvEventsSection? k, KvBlockIndexOptions options, string source, List<string> errors) => options with
    {
        MaxBlocksPerPod = ConfigBounds.Int(k?.MaxBlocksPerPod, options.MaxBlocksPerPod, source, "routing.kvEvents.maxBlocksPerPod", 16, 100_000_000, errors),
        ResyncPeriod = TimeSpan.FromSeconds(ConfigBounds.Int(k?.ResyncSeconds, (int)options.ResyncPeriod.TotalSeconds, source, "routing.kvEvents.resyncSeconds", 0, 3600, errors)),
    };

    private static KvEventSourceOptions KvEventSources(GatewayConfigFile.KvEventsSection? k, KvEventSourceOptions options, string source, List<string> errors)
    {
        var hasher = options.Hasher;
        switch (k?.Hasher?.Trim().ToLowerInvariant())
        {
            case null:
                break;
            case "none":
                hasher = EngineHasherKind.None;
                break;
            case "sim":
                hasher = EngineHasherKind.Sim;
                break;
            case "vllm-sha256-cbor":
                hasher = EngineHasherKind.VllmSha256Cbor;
                break;
            default:
                errors.Add($"{source}: routing.kvEvents.hasher: '{k!.Hasher}' is not one of sim, vllm-sha256-cbor, none");
                break;
        }

        options = options with
        {
            Enabled = k?.Enabled ?? options.Enabled,
            Port = k?.Port ?? options.Port,
            ReplayPort = k?.ReplayPort ?? options.ReplayPort,
            Topic = k?.Topic ?? options.Topic,
            Hasher = hasher,
            BlockSize = k?.BlockSize ?? options.BlockSize,
            PythonHashSeed = k?.PythonHashSeed ?? options.PythonHashSeed,
            Tokenizer = k?.Tokenizer is { } tokenizer && !string.IsNullOrWhiteSpace(tokenizer) ? tokenizer.Trim() : options.Tokenizer,
            ChatTemplate = k?.ChatTemplate is { } template && !string.IsNullOrWhiteSpace(template) ? template.Trim().ToLowerInvariant() : options.ChatTemplate,
        };
        foreach (var error in options.Validate())
        {
            errors.Add($"{source}: {error}");
        }

        return options;
    }

    private static KvCostOptions KvCost(GatewayConfigFile.KvCostSection? k, KvCostOptions options, string source, List<string> errors)
    {
        if (k?.PrefillTokensPerSecond is { } rate)
        {
            if (!double.IsFinite(rate) || rate < 1 || rate > 10_000_000)
            {
                errors.Add($"{source}: routing.kvCost.prefillTokensPerSecond: {rate} is outside 1-10000000");
            }
            else
            {
                options = options with { PrefillTokensPerSecond = rate };
            }
        }

        if (k?.DecodeMsPerRequest is { } ms)
        {
            if (!double.IsFinite(ms) || ms < 0 || ms > 10_000)
            {
                errors.Add($"{source}: routing.kvCost.decodeMsPerRequest: {ms} is outside 0-10000");
            }
            else
            {
                options = options with { DecodeSecondsPerRequest = ms / 1000 };
            }
        }

        if (k?.OverlapWeight is { } weight)
        {
            if (!double.IsFinite(weight) || weight < 0 || weight > 1000)
            {
                errors.Add($"{source}: routing.kvCost.overlapWeight: {weight} is outside 0-1000");
            }
            else
            {
                options = options with { OverlapWeight = weight };
            }
        }

        if (k?.KvUsageSeconds is { } kv)
        {
            if (!double.IsFinite(kv) || kv < 0 || kv > 3600)
            {
                errors.Add($"{source}: routing.kvCost.kvUsageSeconds: {kv} is outside 0-3600");
            }
            else
            {
                options = options with { KvUsageSeconds = kv };
            }
        }

        if (k?.UseEngineLoad is { } engineLoad)
        {
            options = options with { UseEngineLoad = engineLoad };
        }

        if (k?.UseEnginePrefillQueue is { } prefillQueue)
        {
            options = options with { UseEnginePrefillQueue = prefillQueue };
        }

        return options;
    }
}
