using System.Globalization;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>
/// A Sentinel-managed primary on loopback: a primary, a replica of it and two sentinels (<c>redis-server --sentinel</c>,
/// the same binary as <c>redis-sentinel</c>) monitoring it as <see cref="ServiceName"/>, quick to fail over (1 s
/// without an answer). Both sentinels must agree before a failover, so kill only the data nodes. Files live in a
/// temporary directory removed on dispose.
/// </summary>
public sealed class RedisSentinels : IAsyncDisposable
{
    public const string ServiceName = "aibrix";

    private readonly DirectoryInfo _dir;

    private RedisSentinels(DirectoryInfo dir, RedisServer primary, RedisServer replica, IReadOnlyList<RedisServer> sentinels)
    {
        _dir = dir;
        Primary = primary;
        Replica = replica;
        Sentinels = sentinels;
    }

    /// <summary>The primary as started.</summary>
    public RedisServer Primary { get; }

    /// <summary>The replica as started (the primary after a failover).</summary>
    public RedisServer Replica { get; }

    public IReadOnlyList<RedisServer> Sentinels { get; }

    /// <summary>The gateway's <c>redis:</c>: the sentinels and the service name.</summary>
    public string Address => string.Join(',', Sentinels.Select(s => s.HostPort)) + ",serviceName=" + ServiceName;

    public static async Task<RedisSentinels> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("aibrix-redis-sentinel-");
        var started = new List<RedisServer>();
        try
        {
            var primary = await RedisServer.StartAsync();
            started.Add(primary);
            var replica = await RedisServer.StartAsync(null, ["--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture)]);
            started.Add(replica);
            var sentinels = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RedisServer.StartAsync(port => SentinelConfig(dir, port, primary.Port), ["--sentinel"])));
            started.AddRange(sentinels);
            var group = new RedisSentinels(dir, primary, replica, sentinels);
            await RedisCli.WaitUntilAsync(group.ReadyAsync, "the sentinels did not see the replica and each other", TimeSpan.FromSeconds(30));
            return group;
        }
        catch
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }

            dir.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The port of the primary every sentinel announces now, or 0 while they disagree.</summary>
    public async Task<int> AnnouncedPrimaryPortAsync()
    {
        var ports = new HashSet<int>();
        foreach (var sentinel in Sentinels)
        {
            string reply = await RedisCli.RunAsync(sentinel.Port, "sentinel", "get-master-addr-by-name", ServiceName);
            string[] lines = reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            ports.Add(int.Parse(lines[1], CultureInfo.InvariantCulture));
        }

        return ports.Count == 1 ? ports.Single() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Sentinels.Concat([Primary, Replica]))
        {
            await server.DisposeAsync();
        }

        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> ReadyAsync()
    {
        if (!await RedisCluster.InSyncAsync(Primary) || RedisCli.Field(await RedisCli.RunAsync(Primary.Port, "info", "replication"), "connected_slaves") != "1")
        {
            return false;
        }

        foreach (var sentinel in Sentinels)
        {
            string[] fields = (await RedisCli.RunAsync(sentinel.Port, "sentinel", "master", ServiceName))
                .Split('\n', StringSplitOptions.TrimEntries);
            if (Value("num-slaves") != "1" || Value("num-other-sentinels") != "1")
            {
                return false;
            }

            string? Value(string name)
            {
                int at = Array.IndexOf(fields, name);
                return at >= 0 && at + 1 < fields.Length ? fields[at + 1] : null;
            }
        }

        return true;
    }

    private static string SentinelConfig(DirectoryInfo dir, int port, int primaryPort)
    {
        string path = Path.Combine(dir.FullName, $"sentinel-{port}.conf");
        File.WriteAllText(path, string.Join('\n',
            $"dir {dir.FullName}",
            $"sentinel monitor {ServiceName} 127.0.0.1 {primaryPort} 1",
            $"sentinel down-after-milliseconds {ServiceName} 1000",
            $"sentinel failover-timeout {ServiceName} 2000",
            $"sentinel parallel-syncs {ServiceName} 1",
            "") + "\n");
        return path;
    }
}
