using AIBrix.Gateway.KvEvents;
using Prometheus;

namespace AIBrix.Gateway.Observability;

/// <summary>
/// The KV event subscriptions' counters, in the gateway's registry, read from the subscribers at each scrape; or,
/// without a hasher, the count of endpoints that ask for events nobody reads.
/// </summary>
internal sealed class KvEventMetrics
{
    private readonly KvEventSubscriptions _subscriptions = null!;
    private readonly Counter _batches;
    private readonly Counter _blockEvents;
    private readonly Counter _gaps;
    private readonly Counter _restarts;
    private readonly Counter _decodeErrors;
    private readonly Counter _disconnects;
    private readonly Gauge _subscribed;

    public KvEventMetrics(GatewayMetrics metrics, KvEventSubscriptions subscriptions)
    {
        _subscriptions = subscriptions;
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _batches = factory.CreateCounter("aibrix_gateway_kv_events_batches_total", "KV event batches received from the engines (live or replayed).");
        _blockEvents = factory.CreateCounter("aibrix_gateway_kv_events_block_events_total", "Block events applied to the index (hashes stored or removed, clears).");
        _gaps = factory.CreateCounter(
            "aibrix_gateway_kv_events_gaps_total",
            "Sequence gaps, by result: recovered (filled from the engine's replay socket) or lost (the pod resynced).",
            new CounterConfiguration { LabelNames = ["result"] });
        _restarts = factory.CreateCounter("aibrix_gateway_kv_events_publisher_restarts_total", "Publisher restarts seen (sequence went back): the pod's blocks were cleared.");
        _decodeErrors = factory.CreateCounter("aibrix_gateway_kv_events_decode_errors_total", "Batches that did not decode (the pod resynced).");
        _disconnects = factory.CreateCounter("aibrix_gateway_kv_events_disconnects_total", "Connections to a publisher that dropped (the pod routes on the estimate until it speaks again).");
        _subscribed = factory.CreateGauge("aibrix_gateway_kv_events_subscribed_pods", "Endpoints whose KV event stream this gateway subscribes to.");
        metrics.Registry.AddBeforeCollectCallback(Collect);
    }

    public KvEventMetrics(GatewayMetrics metrics, UnhashedKvEventEndpoints unhashed)
    {
        _batches = _blockEvents = _gaps = _restarts = _decodeErrors = _disconnects = null!;
        _subscribed = null!;
        var gauge = Metrics.WithCustomRegistry(metrics.Registry).CreateGauge(
            "aibrix_gateway_kv_events_unhashed_endpoints",
            "Endpoints labelled to publish KV events while routing.kvEvents.hasher is none (not subscribed: a missing setting).");
        metrics.Registry.AddBeforeCollectCallback(() => gauge.Set(unhashed.Count));
    }

    private void Collect()
    {
        var t = _subscriptions.Totals();
        _batches.IncTo(t.Batches);
        _blockEvents.IncTo(t.BlockEvents);
        _gaps.WithLabels("recovered").IncTo(t.GapsRecovered);
        _gaps.WithLabels("lost").IncTo(t.GapsLost);
        _restarts.IncTo(t.Restarts);
        _decodeErrors.IncTo(t.Malformed);
        _disconnects.IncTo(t.Disconnects);
        _subscribed.Set(t.Subscribed);
    }
}
