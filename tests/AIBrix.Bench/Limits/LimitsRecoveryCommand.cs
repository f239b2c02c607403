using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AIBrix.Cli;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Redis;
using AIBrix.Redis;
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
    /// <summary>The <c>limits-recovery</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var rounds = CliOptions.Int("--rounds", 10, "outages to measure", min: 1);
        var downMs = CliOptions.Int("--down-ms", 1000, "how long Redis stays down each round, in milliseconds", min: 0, helpName: "MS");
        var executable = new Option<string>("--redis-server") { HelpName = "PATH", Description = "redis-server to start and kill", DefaultValueFactory = _ => LocalRedis.DefaultExecutable };
        var json = new Option<bool>("--json") { Description = "print one JSON object (median and max) instead of a line per round" };
        var command = new Command("limits-recovery", "how soon limits are enforced again after Redis comes back (each round kills and restarts its own redis-server)")
        {
            rounds, downMs, executable, json,
        };
        command.SetAction(result => RunAsync(result.GetValue(rounds), result.GetValue(downMs), result.GetValue(executable)!, result.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(int rounds, int downMs, string executable, bool json)
    {
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
