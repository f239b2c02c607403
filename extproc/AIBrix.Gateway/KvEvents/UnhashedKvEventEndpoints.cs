using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// Runs when <c>routing.kvEvents.hasher</c> is <c>none</c>: endpoints labelled to publish KV events
/// (<c>kv-events.aibrix.ai/*</c>) are then not subscribed to, because the events could not be looked up without the
/// engines' block hash. That is almost always a forgotten setting, so it is said: a warning per such endpoint when
/// it first appears, the count in <c>aibrix_gateway_kv_events_unhashed_endpoints</c> and in <c>/debug/info</c>.
/// </summary>
internal sealed partial class UnhashedKvEventEndpoints(EndpointRegistry registry, KvEventSourceOptions options, ILogger<UnhashedKvEventEndpoints> logger)
    : IHostedService
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Endpoints in the current set that ask for events nobody subscribes to.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.SnapshotChanged += Check;
        Check(registry.Current);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.SnapshotChanged -= Check;
        return Task.CompletedTask;
    }

    private void Check(EndpointSnapshot snapshot)
    {
        lock (_gate)
        {
            int count = 0;
            foreach (var endpoint in snapshot.All)
            {
                if (options.For(endpoint.Spec.Host, endpoint.Labels) is not { } source)
                {
                    continue;
                }

                count++;
                if (_warned.Add(endpoint.Name))
                {
                    Log.NoHasher(logger, endpoint.Name, source.Endpoint);
                }
            }

            Volatile.Write(ref _count, count);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "KV events: endpoint {Pod} asks for its events to be read ({Endpoint}), but routing.kvEvents.hasher is none: "
            + "they are not subscribed to and prefix routing uses the gateway's estimate. Set routing.kvEvents.hasher (sim or vllm-sha256-cbor)")]
        public static partial void NoHasher(ILogger logger, string pod, string endpoint);
    }
}
