namespace AIBrix.KvEvents;

/// <summary>
/// Optional, next to <see cref="IKvEventStreamHandler"/>: told when the subscriber's connection to the publisher
/// drops (the engine or its publisher died, or the network cut it). ZeroMQ reconnects by itself; until events
/// flow again nothing is known of the engine's cache. Called on the subscriber's thread, between batches.
/// </summary>
public interface IKvEventConnectionHandler
{
    /// <summary>The TCP connection to the publisher closed.</summary>
    void OnDisconnected();
}
