using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>Turns the client's connection failures into the core's <see cref="LimitStoreUnavailableException"/>.</summary>
internal static class RedisCalls
{
    /// <summary>
    /// Server errors that mean "no primary can take this now", not "the call is wrong": a server still loading
    /// its data, a Redis Cluster whose slot has no primary yet (a failover in progress), a slot being moved,
    /// a demoted primary refusing writes, a replica cut from its primary. Limits then follow <c>limits.failureMode</c>
    /// as for a Redis that is down.
    /// </summary>
    private static readonly string[] Transient = ["LOADING", "CLUSTERDOWN", "TRYAGAIN", "READONLY", "MASTERDOWN", "NOREPLICAS"];

    public static async ValueTask<T> Guard<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
            || e is RedisServerException server && IsTransient(server.Message))
        {
            throw new LimitStoreUnavailableException($"redis: {e.Message}", e);
        }
    }

    public static async ValueTask Guard(Task call) => await Guard(Wrap(call));

    private static async Task<bool> Wrap(Task call)
    {
        await call.ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether a server error is one of <see cref="Transient"/>.</summary>
    public static bool IsTransient(string message) => Transient.Any(prefix => message.StartsWith(prefix, StringComparison.Ordinal));
}
