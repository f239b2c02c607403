namespace AIBrix.KvEvents;

/// <summary>Counters of one subscriber, read with <see cref="KvEventSubscriber.Stats"/>.</summary>
/// <param name="Batches">Batches delivered to the handler, live or replayed.</param>
/// <param name="Replayed">Of those, batches that came from the replay socket.</param>
/// <param name="GapsRecovered">Gaps the replay filled completely.</param>
/// <param name="GapsLost">Gaps reported to the handler (<see cref="IKvEventStreamHandler.OnGap"/>).</param>
/// <param name="Restarts">Publisher restarts seen.</param>
/// <param name="Malformed">Batches that failed to decode.</param>
/// <param name="LastSequence">The last sequence delivered, or -1.</param>
public readonly record struct KvEventSubscriberStats(long Batches, long Replayed, long GapsRecovered, long GapsLost, long Restarts, long Malformed, long LastSequence)
{
    /// <summary>Connections to the publisher that dropped (counted only for an <see cref="IKvEventConnectionHandler"/>).</summary>
    public long Disconnects { get; init; }
}
