using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AIBrix.Cli;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Redis;
using AIBrix.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Bench.Limits;

/// <summary>
/// <c>aibrix-bench limits-load</c>: the limiter against a real Redis. (1) Admission throughput and latency
/// at a fixed concurrency (one Lua round trip each, what a request adds on the gateway). (2) TPM overshoot:
/// concurrent streams from one user reserve prompt + max_tokens, "stream" for a while, settle from their
/// real usage; the tokens charged in the window are compared with the limit.
/// </summary>
public static class LimitsLoadCommand
{
    /// <summary>The <c>limits-load</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var redis = new Option<string?>("--redis") { HelpName = "HOST:PORT", Description = "Redis to use [default: start /usr/bin/redis-server on a free loopback port for the run]" };
        var cluster = new Option<bool>("--redis-cluster") { Description = "start a three-primary Redis Cluster on free loopback ports for the run instead of one server (redis-server and redis-cli)" };
        var concurrency = CliOptions.Int("--concurrency", 64, "callers admitting at once", min: 1);
        var admissions = CliOptions.Int("--admissions", 200_000, "admissions measured (after a warm-up of up to 20,000)", min: 1);
        var tpm = CliOptions.Long("--tpm", 100_000, "the streaming user's tokens-per-minute limit", min: 1);
        var streams = CliOptions.Int("--streams", 64, "concurrent streams of that user", min: 1);
        var streamSeconds = CliOptions.Double("--stream-seconds", 10, "how long the streams run (under the 60 s window)", positive: true, helpName: "S");
        var command = new Command("limits-load", "limiter admissions per second and TPM overshoot against a real Redis")
        {
            redis, cluster, concurrency, admissions, tpm, streams, streamSeconds,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(cluster) && result.GetValue(redis) is not null)
            {
                result.AddError("--redis-cluster starts its own cluster: give it or --redis, not both");
            }
        });
        command.SetAction(result => RunAsync(
            result.GetValue(redis), result.GetValue(cluster), result.GetValue(concurrency), result.GetValue(admissions), result.GetValue(tpm), result.GetValue(streams),
            result.GetValue(streamSeconds)));
        return command;
    }

    private static async Task<int> RunAsync(string? redis, bool startCluster, int concurrency, int admissions, long tpm, int streams, double streamSeconds)
    {
        Process? server = null;
        await using var cluster = startCluster ? await AIBrix.Gateway.Redis.Tests.RedisCluster.StartAsync(primaries: 3) : null;
        if (cluster is not null)
        {
            redis = cluster.Address;
            Console.WriteLine($"redis: a three-primary cluster at {redis}");
        }
        else if (redis is null)
        {
            int port = LocalRedis.FreePort();
            server = await LocalRedis.StartAsync(port);
            redis = $"127.0.0.1:{port}";
        }

        try
        {
            await using var connection = await RedisConnector.ConnectAsync(redis);
            var users = new RedisUserStore(connection);
            var store = new RedisLimitStore(connection);
            using var limiter = new RequestLimiter(users, store, AuthSettings.Default, LimitSettings.Default, TimeProvider.System, NullLogger.Instance);
            await ThroughputAsync(users, limiter, concurrency, admissions);
            await OvershootAsync(users, limiter, tpm, streams, TimeSpan.FromSeconds(streamSeconds));
            return 0;
        }
        finally
        {
            if (server is not null)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }
        }
    }

    private static async Task ThroughputAsync(RedisUserStore users, RequestLimiter limiter, int concurrency, int admissions)
    {
        string user = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await users.CreateUserAsync(new UserRecord(user, 100_000_000, 0)); // a limit that is checked, never reached
        await RunAsync(limiter, user, concurrency, Math.Min(admissions, 20_000), null); // warm-up
        var latencies = new double[admissions];
        var wall = Stopwatch.StartNew();
        int refused = await RunAsync(limiter, user, concurrency, admissions, latencies);
        wall.Stop();
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"admissions: {admissions} at concurrency {concurrency} in {wall.Elapsed.TotalSeconds:F2} s = {admissions / wall.Elapsed.TotalSeconds:F0}/s; " +
            $"latency p50 {latencies[admissions / 2]:F3} ms, p99 {latencies[(int)(admissions * 0.99)]:F3} ms, max {latencies[^1]:F3} ms; refused {refused}"));
    }

    private static async Task<int> RunAsync(RequestLimiter limiter, string user, int concurrency, int count, double[]? latencies)
    {
        int next = -1, refused = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                long start = Stopwatch.GetTimestamp();
                var (_, error) = await limiter.AdmitAsync(user, "bench-model", 1);
                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                if (error is not null)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        return refused;
    }

    private static async Task OvershootAsync(RedisUserStore users, RequestLimiter limiter, long tpm, int streams, TimeSpan duration)
    {
        string user = "stream-" + Guid.NewGuid().ToString("N")[..8];
        await users.CreateUserAsync(new UserRecord(user, 0, tpm));
        long charged = 0, admitted = 0, refused = 0;
        var end = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            while (DateTime.UtcNow < end)
            {
                int prompt = random.Next(50, 400), maxTokens = random.Next(100, 1000);
                long reserved = prompt + maxTokens; // the estimate covers the prompt; the cap covers the output
                var (reservation, error) = await limiter.AdmitAsync(user, "bench-model", reserved);
                if (error is not null)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(random.Next(5, 20));
                    continue;
                }

                Interlocked.Increment(ref admitted);
                await Task.Delay(random.Next(10, 60)); // the stream
                long used = prompt + random.Next(0, maxTokens + 1); // engines stop at or before max_tokens
                Interlocked.Add(ref charged, used);
                limiter.Settle(reservation!, used);
            }
        })));

        // The run is shorter than the 60 s window, so every token charged is still inside it.
        long overshoot = Math.Max(0, charged - tpm);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tpm overshoot: limit {tpm}, {streams} concurrent streams for {duration.TotalSeconds:F0} s: admitted {admitted}, refused {refused}, " +
            $"tokens used {charged}, beyond the limit {overshoot}"));
    }
}
