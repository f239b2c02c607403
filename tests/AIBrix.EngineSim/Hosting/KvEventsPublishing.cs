using AIBrix.KvEvents;

namespace AIBrix.EngineSim;

/// <summary>
/// One instance's KV event publisher, built from <see cref="SimulatorOptions"/>: instance i binds port + i (and
/// replay port + i), as vLLM offsets its endpoints by data-parallel rank. Batches leave stamped with Unix time, as
/// vLLM's do, not the engine's simulated clock.
/// </summary>
internal sealed class KvEventsPublishing : IKvEventSink, IDisposable
{
    private readonly ZmqKvEventPublisher _publisher;
    private readonly TimeProvider _time;

    private KvEventsPublishing(ZmqKvEventPublisher publisher, TimeProvider time)
    {
        _publisher = publisher;
        _time = time;
    }

    public string Endpoint => _publisher.BoundEndpoint;

    public string? ReplayEndpoint => _publisher.BoundReplayEndpoint;

    /// <summary>The publisher for instance <paramref name="index"/>, or null when the options publish no events.</summary>
    /// <exception cref="IOException">A port cannot be bound.</exception>
    public static KvEventsPublishing? Start(SimulatorOptions options, int index, TimeProvider? time = null)
    {
        if (options.KvEventsPort is not { } port)
        {
            return null;
        }

        string host = options.Host is "*" or "+" or "0.0.0.0" or "::" ? "*" : options.Host == "localhost" ? "127.0.0.1" : options.Host;
        if (host.Contains(':', StringComparison.Ordinal) && host != "*")
        {
            host = $"[{host}]";
        }

        string Endpoint(int first) => $"tcp://{host}:{(first == 0 ? 0 : first + index)}";
        try
        {
            var publisher = new ZmqKvEventPublisher(new KvEventPublisherOptions
            {
                Endpoint = Endpoint(port),
                ReplayEndpoint = options.KvEventsReplayPort is { } replay ? Endpoint(replay) : null,
                Topic = options.KvEventsTopic,
                Encoding = options.KvEventsEncoding,
                ReplayBufferSteps = options.KvEventsReplayBufferSteps,
            });
            return new KvEventsPublishing(publisher, time ?? TimeProvider.System);
        }
        catch (NetMQ.NetMQException e)
        {
            throw new IOException($"instance {index}: cannot publish KV events on {Endpoint(port)}: {e.Message}", e);
        }
    }

    public void Publish(KvEventBatch batch) =>
        _publisher.Publish(batch with { Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 });

    public void Dispose() => _publisher.Dispose();
}
