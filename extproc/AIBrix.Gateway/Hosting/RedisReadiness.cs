using StackExchange.Redis;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// Readiness's view of Redis: a replica is not ready until its client has reached Redis once, so the
/// first requests after a roll-out are judged by the shared limits rather than by the failure mode.
/// A later outage does not take readiness away: then <c>limits.failureMode</c> decides, and pulling
/// every replica out of the load balancer at once would turn a Redis hiccup into a full outage.
/// </summary>
internal sealed class RedisReadiness(IConnectionMultiplexer connection)
{
    private volatile bool _reached;

    /// <summary>True once the client has been connected at least once.</summary>
    public bool Reached
    {
        get
        {
            if (!_reached && connection.IsConnected)
            {
                _reached = true;
            }

            return _reached;
        }
    }

    /// <summary>Whether the client is connected now.</summary>
    public bool Connected => connection.IsConnected;
}
