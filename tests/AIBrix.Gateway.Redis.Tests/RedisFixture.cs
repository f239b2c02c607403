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

    /// <summary>The shared fixtures' command timeout (see <see cref="ConnectAsync"/>).</summary>
    public static readonly TimeSpan PatientTimeout = TimeSpan.FromSeconds(15);

    public Task<ConnectionMultiplexer> ConnectAnotherAsync() => ConnectAsync(Server.HostPort, PatientTimeout);

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectAsync(Server.HostPort, PatientTimeout);
    }

    /// <summary>
    /// Connects like the gateway does and waits until the client answers a command. The gateway's client
    /// returns before its first connection is made (it never blocks start-up on Redis) and fails calls
    /// fast meanwhile; on a loaded machine that first handshake can miss its 1 s timeout, so a test that
    /// used the client at once would see an outage it did not ask for. <paramref name="hostPort"/> is any
    /// <c>redis:</c> address (one server, cluster seeds, sentinels with <c>serviceName=</c>); the wait is for every primary.
    /// <paramref name="commandTimeout"/> replaces the gateway's 1 s per command: for the shared fixtures, whose tests
    /// check what scripts do, not how fast a loaded machine answers (a 1 s EVAL timeout failed one on CI); the outage
    /// and failover tests keep the gateway's timeouts.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string hostPort, TimeSpan? commandTimeout = null)
    {
        var options = RedisConnector.Options(hostPort);
        if (commandTimeout is { } timeout)
        {
            options.SyncTimeout = options.AsyncTimeout = (int)timeout.TotalMilliseconds;
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(options);
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
