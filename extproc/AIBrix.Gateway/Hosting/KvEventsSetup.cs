using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.KvEvents;
using AIBrix.Gateway.Observability;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// The engines' KV events in the live gateway (<c>routing.kvEvents</c>): the block index the event strategies
/// read, the engine block hasher, and, when a hasher is set, one ZeroMQ subscription per publishing endpoint.
/// </summary>
internal static class KvEventsSetup
{
    public static IServiceCollection AddKvEvents(this IServiceCollection services, GatewayConfig config)
    {
        var options = config.Routing.KvEventSources;
        // Loaded now, so a tokenizer that cannot load stops the start (exit 2), not the first request.
        var tokenizer = options.Hasher == EngineHasherKind.VllmSha256Cbor ? EngineBlockHashers.LoadTokenizer(options.Tokenizer) : null;
        services.AddSingleton(sp => new KvBlockIndex(config.Routing.KvEvents, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EngineHasherHolder(options.Hasher switch
        {
            EngineHasherKind.Sim => new SimEngineBlockHasher(options.BlockSize, IsAdapterOn(sp.GetRequiredService<EndpointRegistry>())),
            EngineHasherKind.VllmSha256Cbor => new VllmEngineBlockHasher(
                new VllmBlockChain(options.PythonHashSeed!), options.BlockSize, tokenizer?.Tokenizer, IsAdapterOn(sp.GetRequiredService<EndpointRegistry>()),
                tokenizer?.BeginningOfSequenceId, EngineBlockHashers.ChatTemplate(options.ChatTemplate)),
            _ => null,
        }));
        if (options.Hasher != EngineHasherKind.None)
        {
            // Without a hasher the events could not be looked up: nothing is subscribed.
            services.AddSingleton(sp => new KvEventSubscriptions(
                sp.GetRequiredService<EndpointRegistry>(), sp.GetRequiredService<KvBlockIndex>(), options, sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<KvEventSubscriptions>());
            services.AddSingleton(sp => new KvEventMetrics(sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<KvEventSubscriptions>()));
        }
        else
        {
            // Endpoints labelled to publish while no hasher is set: said at start and whenever one appears.
            services.AddSingleton(sp => new UnhashedKvEventEndpoints(
                sp.GetRequiredService<EndpointRegistry>(), options, sp.GetRequiredService<ILogger<UnhashedKvEventEndpoints>>()));
            services.AddHostedService(sp => sp.GetRequiredService<UnhashedKvEventEndpoints>());
            services.AddSingleton(sp => new KvEventMetrics(sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<UnhashedKvEventEndpoints>()));
        }

        return services;
    }

    /// <summary>Builds the metrics (their collector registers with the gateway's registry).</summary>
    public static void UseKvEvents(this WebApplication app) => app.Services.GetService<KvEventMetrics>();

    // A request's model is a LoRA adapter when some endpoint lists it as one: engines key its blocks by it.
    private static Func<string, bool> IsAdapterOn(EndpointRegistry registry) => model =>
    {
        foreach (var endpoint in registry.Current.All)
        {
            if (endpoint.Spec.Adapters.Contains(model))
            {
                return true;
            }
        }

        return false;
    };
}

/// <summary>The configured engine block hasher (null for <c>none</c>): a holder, as DI does not hold nulls.</summary>
internal sealed record EngineHasherHolder(IEngineBlockHasher? Hasher);
