using System.Globalization;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>
/// A real Redis Cluster on loopback: <c>redis-server --cluster-enabled yes</c> per node on free ports (each
/// checked to be ours, as <see cref="RedisServer"/> does), joined by <c>redis-cli --cluster create</c>, with
/// an optional replica per primary so that killing a primary fails over. No persistence; the cluster's
/// <c>nodes.conf</c> files and the nodes live in a temporary directory removed on dispose.
/// Usable from any test or bench project that links this file with <see cref="RedisServer"/> and <see cref="RedisCli"/>:
/// <c>await using var cluster = await RedisCluster.StartAsync(3, 1);</c> then give <see cref="Address"/> as the gateway's <c>redis:</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly DirectoryInfo _dir;

    private RedisCluster(DirectoryInfo dir, IReadOnlyList<RedisServer> nodes)
    {
        _dir = dir;
        Nodes = nodes;
    }

    /// <summary>Every node, primaries and replicas, as started.</summary>
    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>Every node's address, comma-separated: the gateway's <c>redis:</c> (cluster seeds).</summary>
    public string Address => string.Join(',', Nodes.Select(n => n.HostPort));

    /// <summary>
    /// Starts <paramref name="primaries"/> primaries (at least 3, as <c>redis-cli --cluster create</c> requires) with
    /// <paramref name="replicasPerPrimary"/> replicas each and waits until every node says <c>cluster_state:ok</c>
    /// and every replica is in sync. <paramref name="nodeTimeoutMs"/> is how long a silent primary takes to be failed over.
    /// </summary>
    public static async Task<RedisCluster> StartAsync(int primaries = 3, int replicasPerPrimary = 0, int nodeTimeoutMs = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        var dir = Directory.CreateTempSubdirectory("aibrix-redis-cluster-");
        var nodes = new List<RedisServer>();
        try
        {
            int count = primaries * (1 + replicasPerPrimary);
            var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => RedisServer.StartAsync(port => NodeConfig(dir, port, nodeTimeoutMs), [])));
            nodes.AddRange(started);
            var create = new List<string> { "--cluster", "create" };
            create.AddRange(nodes.Select(n => n.HostPort));
            create.AddRange(["--cluster-replicas", replicasPerPrimary.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]);
            await RedisCli.RunAsync(nodes[0].Port, [.. create]);
            var cluster = new RedisCluster(dir, nodes);
            await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            Delete(dir);
            throw;
        }
    }

    /// <summary>Waits until every running node says <c>cluster_state:ok</c>, knows every node, and every replica is in sync with its primary.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        await RedisCli.WaitUntilAsync(async () =>
        {
            foreach (var node in Nodes.Where(n => n.Running))
            {
                string info = await RedisCli.RunAsync(node.Port, "cluster", "info");
                if (RedisCli.Field(info, "cluster_state") != "ok"
                    || RedisCli.Field(info, "cluster_known_nodes") != Nodes.Count.ToString(CultureInfo.InvariantCulture))
                {
                    return false;
                }
            }

            foreach (var primary in await RunningPrimariesAsync())
            {
                if (!await InSyncAsync(primary))
                {
                    return false;
                }
            }

            return true;
        }, "the Redis Cluster did not become healthy", timeout);
    }

    /// <summary>The running node that is the primary for <paramref name="key"/>'s slot now.</summary>
    public async Task<RedisServer> PrimaryForAsync(string key)
    {
        var any = Nodes.First(n => n.Running);
        int slot = int.Parse((await RedisCli.RunAsync(any.Port, "cluster", "keyslot", key)).Trim(), CultureInfo.InvariantCulture);
        foreach (var (port, flags, slots) in ParseNodes(await RedisCli.RunAsync(any.Port, "cluster", "nodes")))
        {
            if (flags.Contains("master", StringComparison.Ordinal) && !flags.Contains("fail", StringComparison.Ordinal)
                && slots.Any(r => slot >= r.From && slot <= r.To))
            {
                return Nodes.First(n => n.Port == port);
            }
        }

        throw new InvalidOperationException($"no primary serves slot {slot} of '{key}'");
    }

    /// <summary>The running nodes that are primaries now (they change with failovers).</summary>
    public async Task<IReadOnlyList<RedisServer>> RunningPrimariesAsync()
    {
        var any = Nodes.First(n => n.Running);
        var ports = ParseNodes(await RedisCli.RunAsync(any.Port, "cluster", "nodes"))
            .Where(n => n.Flags.Contains("master", StringComparison.Ordinal) && !n.Flags.Contains("fail", StringComparison.Ordinal))
            .Select(n => n.Port)
            .ToHashSet();
        return Nodes.Where(n => n.Running && ports.Contains(n.Port)).ToArray();
    }

    /// <summary>Whether every replica of <paramref name="primary"/> is connected and has every write it took (replication is asynchronous).</summary>
    public static async Task<bool> InSyncAsync(RedisServer primary)
    {
        string info = await RedisCli.RunAsync(primary.Port, "info", "replication");
        string? offset = RedisCli.Field(info, "master_repl_offset");
        int replicas = int.Parse(RedisCli.Field(info, "connected_slaves") ?? "0", CultureInfo.InvariantCulture);
        for (int i = 0; i < replicas; i++)
        {
            string? line = RedisCli.Field(info, $"slave{i}");
            if (line is null || !line.Contains("state=online", StringComparison.Ordinal) || !line.Contains($"offset={offset},", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        Delete(_dir);
    }

    private static string NodeConfig(DirectoryInfo dir, int port, int nodeTimeoutMs)
    {
        string path = Path.Combine(dir.FullName, $"redis-{port}.conf");
        File.WriteAllText(path, string.Join('\n',
            $"dir {dir.FullName}",
            "cluster-enabled yes",
            $"cluster-config-file nodes-{port}.conf",
            $"cluster-node-timeout {nodeTimeoutMs}",
            "cluster-replica-validity-factor 0", // a replica may always take over, however long it was cut off
            "") + "\n");
        return path;
    }

    private static IEnumerable<(int Port, string Flags, List<(int From, int To)> Slots)> ParseNodes(string text)
    {
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = line.Split(' ');
            if (parts.Length < 8)
            {
                continue;
            }

            string address = parts[1].Split('@')[0];
            int port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var slots = new List<(int, int)>();
            foreach (string range in parts.Skip(8).Where(p => !p.StartsWith('[')))
            {
                string[] ends = range.Split('-');
                slots.Add((int.Parse(ends[0], CultureInfo.InvariantCulture), int.Parse(ends[^1], CultureInfo.InvariantCulture)));
            }

            yield return (port, parts[2], slots);
        }
    }

    private static void Delete(DirectoryInfo dir)
    {
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
