using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// One KV event subscriber per endpoint that publishes (<see cref="KvEventSourceOptions"/>: globally enabled or
/// labelled), feeding the shared <see cref="KvBlockIndex"/>: started when the endpoint is first ready, restarted
/// when its stream's address changes, stopped (sockets closed, its blocks forgotten) when it leaves the endpoint
/// set. An endpoint that turns unready keeps its subscription: routing skips it anyway, and its index stays right
/// for when it is back. Memory is bounded by the index's per-pod cap and the SUB socket's high-water mark.
/// </summary>
internal sealed partial class KvEventSubscriptions(
    EndpointRegistry registry,
    KvBlockIndex index,
    KvEventSourceOptions options,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription> _byPod = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<KvEventSubscriptions>();
    private KvEventTotals _retired;
    private bool _stopped;

    /// <summary>One live subscription.</summary>
    internal sealed record Subscription(KvEventSource Source, KvEventSubscriber Subscriber, PodBlocksFeed Feed);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.SnapshotChanged += Reconcile;
        Reconcile(registry.Current);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops every subscription.</summary>
    public void Dispose()
    {
        registry.SnapshotChanged -= Reconcile;
        lock (_gate)
        {
            _stopped = true;
            foreach (var pod in _byPod.Keys.ToArray())
            {
                Stop(pod);
            }
        }
    }

    /// <summary>The subscription of <paramref name="pod"/>, or null.</summary>
    public Subscription? For(string pod)
    {
        lock (_gate)
        {
            return _byPod.GetValueOrDefault(pod);
        }
    }

    /// <summary>Counters over every subscription, past and present.</summary>
    public KvEventTotals Totals()
    {
        lock (_gate)
        {
            var totals = _retired;
            foreach (var s in _byPod.Values)
            {
                totals += KvEventTotals.Of(s);
            }

            return totals with { Subscribed = _byPod.Count };
        }
    }

    private void Reconcile(EndpointSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var endpoint in snapshot.All)
            {
                present.Add(endpoint.Name);
                var source = options.For(endpoint.Spec.Host, endpoint.Labels);
                _byPod.TryGetValue(endpoint.Name, out var current);
                if (current is not null && current.Source == source)
                {
                    continue;
                }

                if (current is not null)
                {
                    Stop(endpoint.Name);
                }

                if (source is not null && endpoint.IsReady)
                {
                    Start(endpoint.Name, source);
                }
            }

            foreach (var pod in _byPod.Keys.Where(p => !present.Contains(p)).ToArray())
            {
                Stop(pod);
            }
        }
    }

    private void Start(string pod, KvEventSource source)
    {
        var feed = new PodBlocksFeed(index, pod);
        try
        {
            var subscriber = new KvEventSubscriber(
                new KvEventSubscriberOptions
                {
                    Endpoint = source.Endpoint,
                    ReplayEndpoint = source.ReplayEndpoint,
                    Topic = source.Topic,
                    // With a replay socket, ask for everything the engine still holds: a late gateway catches up.
                    ExpectedFirstSequence = source.ReplayEndpoint is null ? null : 0,
                },
                feed,
                loggers.CreateLogger<KvEventSubscriber>());
            _byPod[pod] = new Subscription(source, subscriber, feed);
            Log.Subscribed(_logger, pod, source.Endpoint, source.ReplayEndpoint ?? "none");
        }
        catch (Exception e) when (e is ArgumentException or NetMQ.NetMQException)
        {
            Log.SubscribeFailed(_logger, pod, source.Endpoint, e.Message);
        }
    }

    private void Stop(string pod)
    {
        if (_byPod.Remove(pod, out var subscription))
        {
            subscription.Subscriber.Dispose();
            _retired += KvEventTotals.Of(subscription);
            index.RemovePod(pod);
            Log.Unsubscribed(_logger, pod, subscription.Source.Endpoint);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "KV events: subscribed to {Pod} at {Endpoint} (replay {Replay})")]
        public static partial void Subscribed(ILogger logger, string pod, string endpoint, string replay);

        [LoggerMessage(2, LogLevel.Information, "KV events: unsubscribed from {Pod} at {Endpoint}")]
        public static partial void Unsubscribed(ILogger logger, string pod, string endpoint);

        [LoggerMessage(3, LogLevel.Warning, "KV events: cannot subscribe to {Pod} at {Endpoint}: {Error}; it routes on the estimate")]
        public static partial void SubscribeFailed(ILogger logger, string pod, string endpoint, string error);
    }
}

/// <summary>Counters summed over subscriptions.</summary>
internal readonly record struct KvEventTotals(long Batches, long BlockEvents, long GapsRecovered, long GapsLost, long Restarts, long Malformed, long Disconnects, int Subscribed)
{
    public static KvEventTotals Of(KvEventSubscriptions.Subscription s)
    {
        var st = s.Subscriber.Stats;
        return new(st.Batches, s.Feed.BlockEvents, st.GapsRecovered, st.GapsLost, st.Restarts, st.Malformed, st.Disconnects, 1);
    }

    public static KvEventTotals operator +(KvEventTotals a, KvEventTotals b) => new(
        a.Batches + b.Batches, a.BlockEvents + b.BlockEvents, a.GapsRecovered + b.GapsRecovered, a.GapsLost + b.GapsLost,
        a.Restarts + b.Restarts, a.Malformed + b.Malformed, a.Disconnects + b.Disconnects, a.Subscribed + b.Subscribed);
}
