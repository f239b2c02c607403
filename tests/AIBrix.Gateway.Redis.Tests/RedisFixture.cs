using AIBrix.Redis;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>A Redis the store tests run against (one server, or a cluster), with the gateway's client connected.</summary>
public interface IRedisTarget
{
    IConnectionMultiplexer Connection { get; }

    /// <summary>Another client, as another gateway replica would have.</summary>
    Task<ConnectionMultiplexer> ConnectAnotherAsync();
}

/// <summary>One redis-server per test class; each test uses its own user and model names.</summary>
public sealed class RedisFixture : IAsyncLifetime, IRedisTarget
{
    public RedisServer Server { get; private set; } = null!;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    IConnectionMultiplexer IRedisTarget.Connection => Connection;

    public Task<ConnectionMultiplexer> ConnectAnotherAsync() => ConnectAsync(Server.HostPort);

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectAsync(Server.HostPort);
    }

    /// <summary>
    /// Connects like the gateway does and waits until the client answers a command. The gateway's client
    /// returns before its first connection is made (it never blocks start-up on Redis) and fails calls
    /// fast meanwhile; on a loaded machine that first handshake can miss its 1 s timeout, so a test that
    /// used the client at once would see an outage it did not ask for. <paramref name="hostPort"/> is any
    /// <c>redis:</c> address (one server, cluster seeds, sentinels with <c>serviceName=</c>); the wait is for every primary.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string hostPort)
    {
        var connection = await RedisConnector.ConnectAsync(hostPort);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await RedisConnector.PrimaryAnswersAsync(connection))
        {
            if (DateTime.UtcNow > deadline)
            {
                await connection.DisposeAsync();
                throw new InvalidOperationException($"the Redis client did not connect to {hostPort} within 20 s");
            }

            await Task.Delay(10);
        }

        return connection;
    }

    /// <summary>
    /// True once a command round-trips. <see cref="ConnectionMultiplexer.IsConnected"/> alone can be true while
    /// the client's handshake still runs, and a fail-fast client then refuses the first command (seen on CI).
    /// </summary>
    internal static async Task<bool> AnswersAsync(ConnectionMultiplexer connection)
    {
        if (!connection.IsConnected)
        {
            return false;
        }

        try
        {
            await connection.GetDatabase().PingAsync();
            return true;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
