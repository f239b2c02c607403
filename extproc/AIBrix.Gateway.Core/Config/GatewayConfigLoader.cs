using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
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

/// <summary>
/// Reads and validates the YAML config file section by section (endpoints, routing, metrics, resilience, redis, auth and
/// limits), collecting every error instead of stopping at the first.
/// </summary>
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
        var endpoints = EndpointsSectionReader.Read(file.Endpoints, source, endpointsDiscovered, errors);
        string? strategy = RoutingSectionReader.DefaultStrategy(file.Routing, environmentDefaultStrategy, isKnownStrategy, source, errors);
        var interval = Milliseconds(file.Metrics?.ScrapeIntervalMs, GatewayDefaults.ScrapeInterval, "metrics.scrapeIntervalMs", 10, 60_000);
        var timeout = Milliseconds(file.Metrics?.ScrapeTimeoutMs, TimeSpan.FromSeconds(1), "metrics.scrapeTimeoutMs", 10, 60_000);
        var routing = RoutingSectionReader.Read(file.Routing, interval, source, errors);
        var passive = Resilience(file.Resilience);
        var redis = RedisSectionReader.Read(file.Redis, source, errors);

        var (auth, limits) = LimitsSectionReader.Read(file, source, errors);
        return errors.Count > 0
            ? new ConfigLoadResult(null, errors)
            : new ConfigLoadResult(
                new GatewayConfig(endpoints, strategy, interval, timeout, redis?.ToString())
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

        PassiveHealthOptions Resilience(GatewayConfigFile.ResilienceSection? section)
        {
            var defaults = new PassiveHealthOptions();
            return defaults with
            {
                Retries = Bounded(section?.Retries, defaults.Retries, "resilience.retries", 0, 5),
                EjectAfterFailures = Bounded(section?.EjectAfterFailures, defaults.EjectAfterFailures, "resilience.ejectAfterFailures", 1, 1000),
                CoolDown = TimeSpan.FromSeconds(Bounded(section?.EjectSeconds, (int)defaults.CoolDown.TotalSeconds, "resilience.ejectSeconds", 1, 3600)),
            };
        }
    }

    /// <summary>Parses an engine name (case-insensitive; <c>llama.cpp</c> accepted).</summary>
    public static bool TryParseEngine(string value, out EngineKind engine) => EndpointsSectionReader.TryParseEngine(value, out engine);
}
