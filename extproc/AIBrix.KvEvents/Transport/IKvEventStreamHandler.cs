namespace AIBrix.KvEvents;

/// <summary>
/// What a <see cref="KvEventSubscriber"/> tells its consumer: every event in sequence order (as an
/// <see cref="IKvEventVisitor"/>), and the moments its view of the engine's cache may have gone wrong. Called on
/// the subscriber's thread, one call at a time.
/// </summary>
public interface IKvEventStreamHandler : IKvEventVisitor
{
    /// <summary>
    /// Batches <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) were missed and the replay
    /// could not fill them: blocks stored or removed then are unknown, so the consumer should resync (drop what it
    /// knows of this engine and fall back to its own estimate until new events rebuild it).
    /// </summary>
    void OnGap(long from, long to);

    /// <summary>
    /// The sequence went back to <paramref name="sequence"/>: the publisher restarted, so the engine's cache
    /// started empty and everything known of it is stale.
    /// </summary>
    void OnPublisherRestarted(long sequence);

    /// <summary>Batch <paramref name="sequence"/> could not be decoded (the events before the bad one were delivered).</summary>
    void OnMalformed(long sequence, string error);
}
