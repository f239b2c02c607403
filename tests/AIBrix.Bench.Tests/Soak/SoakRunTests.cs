using AIBrix.Bench.Soak;

namespace AIBrix.Bench.Tests.Soak;

/// <summary>
/// Real soaks: redis-server, engine simulator processes and four aibrix-gateway processes on loopback. The first is
/// the 60-second soak CI runs (both modes, every fault); the second misconfigures a limit and loses a settlement on
/// purpose, so the checks are seen to fail. One class: the two run one after the other.
/// </summary>
public sealed class SoakRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aibrix-soak-test-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task RunAsync_OneMinuteBothModesWithEveryFault_PassesEveryCheck()
    {
        // A 10 s warm-up (the default is 60 s): its requests are reported apart, and it must not shift the faults.
        var settings = new SoakSettings { Minutes = 1, Rate = 30, Mode = SoakSettings.BothModes, Seed = 5, ReportDirectory = _dir, WarmupSeconds = 10 };
        using var output = new StringWriter();
        using var errors = new StringWriter();

        int exit = await SoakCommand.RunAsync(settings, "aibrix-bench soak --minutes 1 --rate 30", output, errors);

        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        using var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")));
        var root = results.RootElement;
        Assert.True(root.GetProperty("limit_violations").GetInt32() == 0, report);
        Assert.True(root.GetProperty("unsettled_reservations").GetInt64() == 0, report);
        Assert.True(root.GetProperty("token_sum_drift").GetInt64() == 0, report);
        // A failure no fault explains fails the soak. On a CI machine shared with other test projects a request can
        // still miss the gateway's 1 s Redis timeout: up to 1 % of requests is let through here (the soak itself, and
        // the benchmarks, count every one).
        long unexplained = root.GetProperty("unexplained_failures").GetInt64(), requests = root.GetProperty("requests").GetInt64();
        Assert.True(unexplained * 100 <= requests, report);
        Assert.True(exit == 0 || (exit == 1 && unexplained > 0), errors.ToString() + report);
        Assert.True(requests >= 1500, report); // 30/s for 60 s, open loop
        // The warm-up's ramp from 3 to 30 req/s over 10 s (83 requests per mode), reported apart.
        Assert.Equal(2 * WarmupRamp.WarmupCount(15, 10), root.GetProperty("warmup").GetProperty("requests").GetInt64());
        Assert.Contains("## Warm-up", report, StringComparison.Ordinal);
        Assert.All(Enum.GetValues<FaultKind>().Where(k => k != FaultKind.RedisPrimaryKill), kind => Assert.Contains(FaultEvent.Name(kind), report, StringComparison.Ordinal));
        Assert.All(["outcomes.png", "latency.png", "memory.png", "results.json"], f => Assert.True(File.Exists(Path.Combine(_dir, f)), f));
        // Every mode and every kind of request went through.
        Assert.All(new[] { "| extproc | Chat |", "| standalone | ChatStream |", "| extproc | Embedding |", "| standalone | Malformed |" },
            row => Assert.Contains(row, report, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LimitMisconfiguredAndASettlementLost_FailsOnBoth()
    {
        // The tight user gets 4x its RPM in Redis while the checks hold it to its RPM, and one reservation is never settled.
        var settings = new SoakSettings
        {
            Minutes = 0.4, Rate = 20, Mode = SoakSettings.StandaloneMode, Seed = 2, HostileShare = 0.6, NoFaults = true,
            TestLimitSkew = 4, TestLeaveReservation = true, Json = true, WarmupSeconds = 0,
        };
        using var output = new StringWriter();
        using var errors = new StringWriter();

        int exit = await SoakCommand.RunAsync(settings, "test", output, errors);

        string summary = output.ToString();
        Assert.True(exit == 1, errors.ToString() + summary);
        Assert.Contains("limit violation(s)", errors.ToString(), StringComparison.Ordinal);
        Assert.True(summary.Contains("\"unsettled_reservations\":1,", StringComparison.Ordinal), summary);
        Assert.Matches("\"limit_violations\":[1-9]", output.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
