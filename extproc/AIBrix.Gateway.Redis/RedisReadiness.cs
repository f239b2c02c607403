using AIBrix.Redis;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Readiness's view of Redis: a replica is not ready until a Redis primary has answered it once, so the
/// first requests after a roll-out are judged by the shared limits rather than by the failure mode.
/// A later outage does not take readiness away: then <c>limits.failureMode</c> decides, and pulling
/// every replica out of the load balancer at once would turn a Redis hiccup (or a failover) into a full outage.
/// What is reported (<see cref="Connected"/>) is the primary's state: behind Sentinel, the current primary;
/// on a Redis Cluster, every primary the client knows.
/// </summary>
public sealed class RedisReadiness(IConnectionMultiplexer connection)
{
    private volatile bool _reached;
    private volatile bool _primary;

    /// <summary>True once a primary has answered at least once.</summary>
    public bool Reached => _reached;

    /// <summary>
    /// Asks whether the primary answers (a <c>PING</c> only a primary may take: the client can say it is
    /// connected while its handshake still runs, or while only replicas are left) and returns <see cref="Reached"/>.
    /// </summary>
    public async Task<bool> CheckAsync()
    {
        _primary = await RedisConnector.PrimaryAnswersAsync(connection);
        if (_primary)
        {
            _reached = true;
        }

        return _reached;
    }

    /// <summary>Whether the primary answered the last <see cref="CheckAsync"/>.</summary>
    public bool Connected => _primary;
}
