using System.Net;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AIBrix.Gateway.Core.Config;

/// <summary>The result of loading a config: the config, or every problem found in it.</summary>
/// <param name="Config">The valid config, or null.</param>
/// <param name="Errors">Every problem, each naming where it is.</param>
public sealed record ConfigLoadResult(GatewayConfig? Config, IReadOnlyList<string> Errors)
{
    /// <summary>True when the config is valid.</summary>
    public bool IsValid => Config is not null;
}

/// <summary>Reads and validates the YAML config file, collecting every error instead of stopping at the first.</summary>
public static class GatewayConfigLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">The YAML file.</param>
    /// <param name="isKnownStrategy">Tells whether a strategy name exists, to check the default.</param>
    /// <param name="environmentDefaultStrategy">The <c>ROUTING_ALGORITHM</c> value, used when the file sets no default.</param>
    /// <param name="endpointsDiscovered">True when endpoints come from discovery (Kubernetes): the file then must not list any.</param>
    public static ConfigLoadResult LoadFile(string path, Func<string, bool> isKnownStrategy, string? environmentDefaultStrategy = null, bool endpointsDiscovered = false)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [$"{path}: cannot read the config file: {e.Message}"]);
        }

        return Parse(text, path, isKnownStrategy, environmentDefaultStrategy, endpointsDiscovered);
    }

    /// <summary>Parses and validates YAML text; <paramref name="source"/> prefixes error messages.</summary>
    public static ConfigLoadResult Parse(string yaml, string source, Func<string, bool> isKnownStrategy, string? environmentDefaultStrategy = null, bool endpointsDiscovered = false)
    {
        ArgumentNullException.ThrowIfNull(isKnownStrategy);
        GatewayConfigFile? file;
        try
        {
            file = Deserializer.Deserialize<GatewayConfigFile?>(yaml);
        }
        catch (YamlException e)
        {
            string inner = e.InnerException is { } ie ? $": {ie.Message}" : "";
            return new ConfigLoadResult(null, [$"{source}:{e.Start.Line}:{e.Start.Column}: {e.Message}{inner}"]);
        }

        var errors = new List<string>();
        file ??= new GatewayConfigFile();
        var endpoints = new List<EndpointSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        if (endpointsDiscovered)
        {
            if (file.Endpoints is { Count: > 0 })
            {
                errors.Add($"{source}: endpoints: with --discovery kubernetes the endpoints are the pods labelled model.aibrix.ai/name; remove this list");
            }
        }
        else if (file.Endpoints is null || file.Endpoints.Count == 0)
        {
            errors.Add($"{source}: endpoints: at least one endpoint is required");
        }

        for (int i = 0; i < (file.Endpoints?.Count ?? 0); i++)
        {
            var entry = file.Endpoints![i];
            string at = $"{source}: endpoints[{i}]";
            if (entry is null)
            {
                errors.Add($"{at}: empty entry");
                continue;
            }

            int before = errors.Count;
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                errors.Add($"{at}.name: required");
            }
            else if (!names.Add(entry.Name))
            {
                errors.Add($"{at}.name: '{entry.Name}' is used by another endpoint");
            }

            if (string.IsNullOrWhiteSpace(entry.Address))
            {
                errors.Add($"{at}.address: required, as \"ip:port\"");
            }
            else if (!IPEndPoint.TryParse(entry.Address, out var ep) || ep.Port == 0 || !entry.Address.Contains(':', StringComparison.Ordinal))
            {
                // Envoy's ORIGINAL_DST cluster takes an IP literal from target-pod, not a host name.
                errors.Add($"{at}.address: '{entry.Address}' is not \"ip:port\" (an IP literal and a port 1-65535)");
            }
            else if (!addresses.Add(entry.Address))
            {
                errors.Add($"{at}.address: '{entry.Address}' is used by another endpoint");
            }

            if (string.IsNullOrWhiteSpace(entry.Model))
            {
                errors.Add($"{at}.model: required");
            }

            EngineKind engine = EngineKind.Vllm;
            if (entry.Engine is not null && !TryParseEngine(entry.Engine, out engine))
            {
                errors.Add($"{at}.engine: '{entry.Engine}' is not one of vllm, sglang, llamacpp");
            }

            if (entry.MetricsPort is { } port && (port < 1 || port > 65535))
            {
                errors.Add($"{at}.metricsPort: {port} is not a port (1-65535)");
            }

            foreach (var adapter in entry.Adapters ?? [])
            {
                if (string.IsNullOrWhiteSpace(adapter))
                {
                    errors.Add($"{at}.adapters: empty adapter name");
                }
            }

            if (errors.Count == before)
            {
                endpoints.Add(new EndpointSpec(
                    entry.Name!.Trim(),
                    entry.Address!.Trim(),
                    entry.Model!.Trim(),
                    engine,
                    entry.MetricsPort,
                    entry.Labels ?? [],
                    entry.Adapters?.Select(a => a.Trim()).ToArray() ?? []));
            }
        }

        string? strategy = file.Routing?.DefaultStrategy;
        string strategySource = "routing.defaultStrategy";
        if (string.IsNullOrWhiteSpace(strategy) && !string.IsNullOrWhiteSpace(environmentDefaultStrategy))
        {
            strategy = environmentDefaultStrategy;
            strategySource = GatewayHeaders.RoutingAlgorithmEnv;
        }

        if (!string.IsNullOrWhiteSpace(strategy) && !isKnownStrategy(strategy.Trim()))
        {
            errors.Add($"{source}: {strategySource}: unknown strategy '{strategy}'");
        }

        var interval = Milliseconds(file.Metrics?.ScrapeIntervalMs, GatewayDefaults.ScrapeInterval, "metrics.scrapeIntervalMs", 10, 60_000);
        var timeout = Milliseconds(file.Metrics?.ScrapeTimeoutMs, TimeSpan.FromSeconds(1), "metrics.scrapeTimeoutMs", 10, 60_000);

        var routing = RoutingOptionsFrom(file.Routing, interval, source, errors);
        var resilience = file.Resilience;
        var passive = new PassiveHealthOptions();
        passive = passive with
        {
            Retries = Bounded(resilience?.Retries, passive.Retries, "resilience.retries", 0, 5),
            EjectAfterFailures = Bounded(resilience?.EjectAfterFailures, passive.EjectAfterFailures, "resilience.ejectAfterFailures", 1, 1000),
            CoolDown = TimeSpan.FromSeconds(Bounded(resilience?.EjectSeconds, (int)passive.CoolDown.TotalSeconds, "resilience.ejectSeconds", 1, 3600)),
        };

        if (file.Redis is { } redis && !string.IsNullOrWhiteSpace(redis) && !redis.Contains(':', StringComparison.Ordinal))
        {
            errors.Add($"{source}: redis: '{redis}' is not \"host:port\"");
        }

        var (auth, limits) = LimitsSectionReader.Read(file, source, errors);
        return errors.Count > 0
            ? new ConfigLoadResult(null, errors)
            : new ConfigLoadResult(
                new GatewayConfig(endpoints, string.IsNullOrWhiteSpace(strategy) ? null : strategy.Trim(), interval, timeout, string.IsNullOrWhiteSpace(file.Redis) ? null : file.Redis.Trim())
                {
                    Routing = routing,
                    PassiveHealth = passive,
                    Auth = auth,
                    Limits = limits,
                },
                []);

        int Bounded(int? value, int fallback, string name, int min, int max) =>
            ConfigBounds.Int(value, fallback, source, name, min, max, errors);

        TimeSpan Milliseconds(int? value, TimeSpan fallback, string name, int min, int max) =>
            value is null ? fallback : TimeSpan.FromMilliseconds(Bounded(value, (int)fallback.TotalMilliseconds, name, min, max));
    }

    private static RoutingOptions RoutingOptionsFrom(GatewayConfigFile.RoutingSection? section, TimeSpan scrapeInterval, string source, List<string> errors)
    {
        var defaults = RoutingOptions.Default;
        var prefix = defaults.PrefixCache;
        var guard = defaults.LoadGuard;
        var p = section?.PrefixCache;
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

        prefix = prefix with
        {
            BlockSize = Range(p?.BlockSize, prefix.BlockSize, "routing.prefixCache.blockSize", 1, 65_536),
            MaxEntries = Range(p?.MaxEntries, prefix.MaxEntries, "routing.prefixCache.maxEntries", 16, 100_000_000),
            Expiry = TimeSpan.FromSeconds(Range(p?.ExpirySeconds, (int)prefix.Expiry.TotalSeconds, "routing.prefixCache.expirySeconds", 1, 7 * 24 * 3600)),
        };
        var g = section?.LoadGuard;
        guard = guard with { AbsoluteImbalance = Range(g?.AbsoluteImbalance, guard.AbsoluteImbalance, "routing.loadGuard.absoluteImbalance", 0, 1_000_000) };
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

        // Metrics can't be fresher than the scrape that brings them: never stale before three intervals.
        var staleDefault = TimeSpan.FromTicks(Math.Max(defaults.MetricsStaleAfter.Ticks, 3 * scrapeInterval.Ticks));
        var staleAfter = section?.MetricsStaleAfterMs is null
            ? staleDefault
            : TimeSpan.FromMilliseconds(Range(section.MetricsStaleAfterMs, (int)staleDefault.TotalMilliseconds, "routing.metricsStaleAfterMs", 10, 3_600_000));
        return defaults with
        {
            PrefixCache = prefix,
            LoadGuard = guard,
            MetricsStaleAfter = staleAfter,
            DefaultOutputTokens = Range(section?.DefaultOutputTokens, defaults.DefaultOutputTokens, "routing.defaultOutputTokens", 1, 1_000_000),
        };

        int Range(int? value, int fallback, string name, int min, int max) =>
            ConfigBounds.Int(value, fallback, source, name, min, max, errors);
    }

    /// <summary>Parses an engine name (case-insensitive; <c>llama.cpp</c> accepted).</summary>
    public static bool TryParseEngine(string value, out EngineKind engine)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "vllm":
                engine = EngineKind.Vllm;
                return true;
            case "sglang":
                engine = EngineKind.Sglang;
                return true;
            case "llamacpp" or "llama.cpp" or "llama-cpp":
                engine = EngineKind.LlamaCpp;
                return true;
            default:
                engine = default;
                return false;
        }
    }
}
