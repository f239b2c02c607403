using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>Turns the client's connection failures into the core's <see cref="LimitStoreUnavailableException"/>.</summary>
internal static class RedisCalls
{
    public static async ValueTask<T> Guard<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
            || e is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal))
        {
            throw new LimitStoreUnavailableException($"redis: {e.Message}", e);
        }
    }
}
