using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Connects to Redis for the limiter: never blocks start-up on a missing server, fails calls fast
/// while disconnected (no backlog: an admission must not wait seconds), and retries the connection
/// every 250 ms so enforcement resumes within a second of Redis coming back.
/// </summary>
public static class RedisConnector
{
    /// <summary>Options for <paramref name="hostPort"/> (<c>host:port</c>).</summary>
    public static ConfigurationOptions Options(string hostPort)
    {
        var options = ConfigurationOptions.Parse(hostPort);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        options.ClientName = "aibrix-gateway";
        return options;
    }

    /// <summary>Connects synchronously, for start-up (returns even when Redis is down; the client keeps trying).</summary>
    public static ConnectionMultiplexer Connect(string hostPort, TextWriter? log = null) =>
        ConnectionMultiplexer.Connect(Options(hostPort), log);

    /// <summary>Connects (returns even when Redis is down; the client keeps trying).</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(string hostPort, TextWriter? log = null) =>
        ConnectionMultiplexer.ConnectAsync(Options(hostPort), log);
}
