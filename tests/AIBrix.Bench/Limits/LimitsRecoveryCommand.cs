using System.Diagnostics;
using System.Globalization;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Bench.Limits;

/// <summary>
/// <c>aibrix-bench limits-recovery</c>: how soon limits are enforced again after Redis comes back. Each
/// round kills its own redis-server (SIGKILL), keeps admitting through the outage (failure mode open),
/// starts Redis again on the same port and measures from the moment the new server answers a PING of its
/// own to the first admission the limiter decides through Redis again (a user with an RPM limit of 1: the
/// second admission after recovery must be refused, which only Redis can do).
/// </summary>
public static class LimitsRecoveryCommand
{
    public const string Usage = """
        usage: aibrix-bench limits-recovery [--rounds 10] [--down-ms 1000] [--redis-server /usr/bin/redis-server] [--json]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = 10, downMs = 1000;
        string executable = LocalRedis.DefaultExecutable;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Length: rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--down-ms" when i + 1 < args.Length: downMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--redis-server" when i + 1 < args.Length: executable = args[++i]; break;
                case "--json": json = true; break;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        if (!File.Exists(executable))
        {
            await Console.Error.WriteLineAsync($"limits-recovery: {executable} not found (apt-get install redis-server)");
            return 2;
        }

        int port = LocalRedis.FreePort();
        string address = $"127.0.0.1:{port}";
        var server = await LocalRedis.StartAsync(port, executable);
        var recoveries = new List<double>();
        try
        {
            await using var connection = await RedisConnector.ConnectAsync(address);
            var users = new RedisUserStore(connection);
            using var limiter = new RequestLimiter(users, new RedisLimitStore(connection), AuthSettings.Default,
                new LimitSettings { FailureMode = LimitFailureMode.Open }, TimeProvider.System, NullLogger.Instance);
            for (int round = 1; round <= rounds; round++)
            {
                string user = $"recovery-{round}";
                server.Kill();
                await server.WaitForExitAsync();
                var outageUntil = Stopwatch.StartNew();
                while (outageUntil.ElapsedMilliseconds < downMs)
                {
                    _ = await limiter.AdmitAsync("someone", "m", 1); // traffic through the outage (admitted: failure mode open)
                    await Task.Delay(10);
                }

                server = await LocalRedis.StartAsync(port, executable);
                var back = Stopwatch.StartNew();
                while (true)
                {
                    try
                    {
                        await users.CreateUserAsync(new UserRecord(user, 1, 0));
                        var (first, firstError) = await limiter.AdmitAsync(user, "m", 1);
                        var (_, secondError) = await limiter.AdmitAsync(user, "m", 1);
                        if (first is not null && firstError is null && secondError?.Kind == Gateway.Core.Errors.GatewayErrorKind.RequestRateLimited)
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (e is LimitStoreUnavailableException or StackExchange.Redis.RedisException)
                    {
                        // not reconnected yet
                    }

                    if (back.Elapsed > TimeSpan.FromSeconds(30))
                    {
                        throw new TimeoutException("limits were not enforced again within 30 s");
                    }

                    await Task.Delay(5);
                }

                recoveries.Add(back.Elapsed.TotalMilliseconds);
                if (!json)
                {
                    Console.WriteLine($"round {round}: enforced again {back.Elapsed.TotalMilliseconds:F0} ms after Redis answered");
                }
            }
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }

            server.Dispose();
        }

        recoveries.Sort();
        double median = recoveries[recoveries.Count / 2], max = recoveries[^1];
        Console.WriteLine(json
            ? $"{{\"rounds\":{rounds},\"recovery_median_ms\":{median.ToString("F0", CultureInfo.InvariantCulture)},\"recovery_max_ms\":{max.ToString("F0", CultureInfo.InvariantCulture)}}}"
            : $"enforced again after Redis came back: median {median:F0} ms, max {max:F0} ms over {rounds} rounds");
        return 0;
    }
}
