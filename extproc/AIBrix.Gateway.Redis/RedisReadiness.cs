using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Readiness's view of Redis: a replica is not ready until its client has reached Redis once, so the
/// first requests after a roll-out are judged by the shared limits rather than by the failure mode.
/// A later outage does not take readiness away: then <c>limits.failureMode</c> decides, and pulling
/// every replica out of the load balancer at once would turn a Redis hiccup into a full outage.
/// </summary>
public sealed class RedisReadiness(IConnectionMultiplexer connection)
{
    private volatile bool _reached;

    /// <summary>True once the client has been connected at least once.</summary>
    public bool Reached => _reached;

    /// <summary>
    /// Checks (until it first succeeds) that a command round-trips: the client can say it is connected
    /// while its handshake still runs, and it refuses commands until that is done. Returns <see cref="Reached"/>.
    /// </summary>
    public async Task<bool> CheckAsync()
    {
        if (_reached || !connection.IsConnected)
        {
            return _reached;
        }

        try
        {
            await connection.GetDatabase().PingAsync();
            _reached = true;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
        }

        return _reached;
    }

    /// <summary>Whether the client is connected now.</summary>
    public bool Connected => connection.IsConnected;
}
