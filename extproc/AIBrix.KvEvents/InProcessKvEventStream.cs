namespace AIBrix.KvEvents;

/// <summary>
/// A sink that numbers batches like a publisher and hands them straight to its subscribers, on the caller's
/// thread: the KV event stream of a virtual-time replay, with no sockets and no encoding. Subscribers see the
/// same sequence numbers and events a <see cref="KvEventSubscriber"/> would decode from the wire.
/// </summary>
public sealed class InProcessKvEventStream : IKvEventSink
{
    private readonly List<Action<long, KvEventBatch>> _subscribers = [];

    /// <summary>The sequence number the next batch gets (vLLM's publisher counts from 0).</summary>
    public long NextSequence { get; private set; }

    /// <summary>Adds a subscriber; it sees every batch published from now on.</summary>
    public void Subscribe(Action<long, KvEventBatch> onBatch)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        _subscribers.Add(onBatch);
    }

    /// <summary>Adds a visitor as a subscriber.</summary>
    public void Subscribe(IKvEventVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        _subscribers.Add((_, batch) => batch.Accept(visitor));
    }

    /// <inheritdoc/>
    public void Publish(KvEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long sequence = NextSequence++;
        foreach (var subscriber in _subscribers)
        {
            subscriber(sequence, batch);
        }
    }
}
