using System.Collections.Concurrent;
using System.Globalization;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Redis;
using AIBrix.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using StackExchange.Redis;

namespace AIBrix.Bench.Soak;

/// <summary>Everything a soak found.</summary>
public sealed record SoakResult(
    SoakSettings Settings,
    IReadOnlyList<FaultEvent> Faults,
    IReadOnlyList<Classified> Requests,
    IReadOnlyList<SoakAnalysis.Violation> Violations,
    IReadOnlyList<(string User, double Seconds)> UnsettledAt,
    long SumDrift,
    IReadOnlyList<MemorySample> Memory,
    IReadOnlyList<SoakAnalysis.MemoryTrend> Trends,
    double TrafficSeconds)
{
    /// <summary>The warm-up's requests (started before the measured part), classified without faults: reported, not judged.</summary>
    public IReadOnlyList<Classified> Warmup { get; init; } = [];

    /// <summary>Reservations still held in Redis once traffic stopped and settlements had time to land.</summary>
    public long Unsettled => UnsettledAt.Count;

    public long UnexplainedFailures => Requests.Count(r => r.Cause == SoakAnalysis.Unexplained);

    /// <summary>Replicas whose GC heap floor rose faster than the threshold over enough minutes to tell.</summary>
    public IEnumerable<SoakAnalysis.MemoryTrend> Leaks => Trends.Where(t =>
        t.Minutes >= SoakAnalysis.MinLeakMinutes && t.HeapFloorSlope > Settings.LeakMbPerMinute);

    /// <summary>Why the soak fails; empty when it passes.</summary>
    public IEnumerable<string> Problems()
    {
        if (Violations.Count > 0)
        {
            yield return $"{Violations.Count} limit violation(s)";
        }

        if (Unsettled > 0)
        {
            yield return $"{Unsettled} reservation(s) not settled";
        }

        if (SumDrift != 0)
        {
            yield return $"token sums off their entries by {SumDrift}";
        }

        if (UnexplainedFailures > 0)
        {
            yield return $"{UnexplainedFailures} unexplained failure(s)";
        }

        foreach (var fault in Faults.Where(f => f.RecoveryError is not null))
        {
            yield return $"{fault.Label} at {fault.StartSeconds:F0} s {fault.RecoveryError}";
        }

        foreach (var leak in Leaks)
        {
            yield return $"{leak.Replica} leaks: its GC heap floor rises {leak.HeapFloorSlope:F2} MB/min ({leak.HeapFloorStartMb:F1} -> {leak.HeapFloorEndMb:F1} MB over {leak.Minutes:F1} min)";
        }
    }
}

/// <summary>Runs one soak: starts the fleet, sends the traffic while the fault schedule runs, then checks Redis and the records.</summary>
internal static class SoakRun
{
    public static async Task<SoakResult> RunAsync(SoakSettings settings, string workDirectory, Action<string> say)
    {
        await using var fleet = await SoakFleet.StartAsync(settings, workDirectory, say);
        if (settings.TestLeaveReservation)
        {
            await LeaveReservationAsync(fleet);
        }

        var faults = settings.NoFaults
            ? []
            : FaultSchedule.Create(settings.Seed, settings.DurationSeconds, settings.Pods, 2)
                .Where(f => settings.Redis is null || settings.RedisCluster || f.Kind != FaultKind.RedisRestart)
                .Select(f => settings.RedisCluster && f.Kind == FaultKind.RedisRestart ? f with { Kind = FaultKind.RedisPrimaryKill } : f)
                .ToList();
        var records = new ConcurrentBag<SoakRecord>();
        var memory = new ConcurrentBag<MemorySample>();
        var clock = new SoakClock(settings.WarmupSeconds);
        using var stop = new CancellationTokenSource();
        var traffics = settings.Modes.Select(m => new SoakTraffic(m, settings.Rate / settings.Modes.Count, settings, fleet, records, clock)).ToList();
        try
        {
            if (settings.WarmupSeconds > 0)
            {
                say(string.Create(CultureInfo.InvariantCulture,
                    $"warm-up: {settings.WarmupSeconds:F0} s, the rate climbing from {settings.Rate * WarmupRamp.StartShare:F0} to {settings.Rate} req/s (not in the verdict but for limits and reservations)"));
            }

            say($"traffic: {settings.Rate} req/s for {settings.Minutes} min through {string.Join(" and ", settings.Modes)}; {faults.Count} faults scheduled");
            var sending = Task.WhenAll(traffics.Select(t => t.RunAsync(settings.DurationSeconds, stop.Token)));
            var faulting = RunFaultsAsync(fleet, faults, clock, say, stop.Token);
            var sampling = SampleAsync(fleet, memory, clock, stop.Token);
            await ProgressAsync(settings, records, clock, sending);
            await sending;
            await faulting;
            stop.Cancel();
            await sampling;
        }
        finally
        {
            foreach (var traffic in traffics)
            {
                traffic.Dispose();
            }
        }

        double trafficSeconds = clock.Elapsed.TotalSeconds;
        // Settlements are written in the background (and retried every 200 ms while Redis is away): give them time.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (unsettled, drift) = await ReadReservationsAsync(fleet, clock);
        var (classified, warmup) = SoakAnalysis.ClassifySplit(records, faults);
        // Limits hold from the first request: the warm-up's admissions count in the violations.
        var violations = SoakAnalysis.Violations(records, fleet.Users);
        var samples = memory.OrderBy(s => s.Seconds).ToList();
        return new SoakResult(settings, faults, classified, violations, unsettled, drift, samples, SoakAnalysis.Trends(samples), trafficSeconds) { Warmup = warmup };
    }

    /// <summary>Test only: a reservation made through the real limiter and never settled (what a lost settlement leaves).</summary>
    private static async Task LeaveReservationAsync(SoakFleet fleet)
    {
        await using var connection = await RedisConnector.ConnectAsync(fleet.RedisAddress);
        using var limiter = new RequestLimiter(new RedisUserStore(connection), new RedisLimitStore(connection), AuthSettings.Default,
            LimitSettings.Default, TimeProvider.System, NullLogger.Instance);
        // A first call on a loaded machine can outlast the 1 s store timeout (the limiter then fails open): try again.
        for (int attempt = 1; ; attempt++)
        {
            var (reservation, error) = await limiter.AdmitAsync(fleet.Users[0].Name, SoakSettings.Model, SoakFleet.PromptOverheadTokens + 100);
            if (reservation is not null)
            {
                return;
            }

            if (error is not null || attempt == 20)
            {
                throw new InvalidOperationException($"the test reservation was not made: {error?.Message ?? "Redis did not answer"}");
            }

            await Task.Delay(500);
        }
    }

    private static async Task RunFaultsAsync(SoakFleet fleet, IReadOnlyList<FaultEvent> faults, SoakClock clock, Action<string> say, CancellationToken cancellationToken)
    {
        foreach (var fault in faults)
        {
            await DelayUntilAsync(clock, fault.StartSeconds, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            say($"{clock.Elapsed.TotalSeconds,7:F1} s  fault {fault.Label} for {fault.DurationSeconds:F1} s");
            string? begun = await fleet.TryBeginAsync(fault);
            await DelayUntilAsync(clock, fault.EndSeconds, CancellationToken.None);
            string? ended = await fleet.TryEndAsync(fault);
            fault.ReadySeconds = clock.Elapsed.TotalSeconds;
            fault.RecoveryError = begun ?? ended;
            say(fault.RecoveryError is null
                ? $"{clock.Elapsed.TotalSeconds,7:F1} s  {fault.Label} over, ready again"
                : $"{clock.Elapsed.TotalSeconds,7:F1} s  {fault.Label}: {fault.RecoveryError}; the soak goes on without it");
        }
    }

    private static async Task DelayUntilAsync(SoakClock clock, double seconds, CancellationToken cancellationToken)
    {
        double wait = seconds - clock.Elapsed.TotalSeconds;
        if (wait > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // the run is over
            }
        }
    }

    /// <summary>Every 2 s: each gateway's RSS (from /proc) and GC heap (its /metrics, <c>dotnet_total_memory_bytes</c>).</summary>
    private static async Task SampleAsync(SoakFleet fleet, ConcurrentBag<MemorySample> memory, SoakClock clock, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (label, process, port) in fleet.GatewayReplicas())
            {
                int pid = process.Pid;
                double rss = pid == 0 ? 0 : RssMb(pid);
                if (rss <= 0)
                {
                    continue;
                }

                double heap = -1;
                try
                {
                    string metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics", cancellationToken);
                    heap = MetricValue(metrics, "dotnet_total_memory_bytes") / 1048576.0;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // restarting: no sample
                }

                if (heap >= 0)
                {
                    memory.Add(new MemorySample(label, process.Starts, clock.Elapsed.TotalSeconds, rss, heap));
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static double RssMb(int pid)
    {
        try
        {
            string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The value of an unlabelled Prometheus sample; -1 when absent.</summary>
    internal static double MetricValue(string text, string name)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(name.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                return value;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reads every user's token entries in Redis once traffic has stopped (key names as the limit store writes them):
    /// an entry still at least the prompt overhead is a reservation never settled (settled charges are real usage,
    /// far below it); the running sum must equal the entries' total.
    /// </summary>
    private static async Task<(List<(string, double)> Unsettled, long Drift)> ReadReservationsAsync(SoakFleet fleet, SoakClock clock)
    {
        var options = RedisConnector.Options(fleet.RedisAddress, "aibrix-soak");
        options.ConnectTimeout = options.SyncTimeout = options.AsyncTimeout = 5000;
        using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        var unsettled = new List<(string, double)>();
        long drift = 0;
        var serverNow = await redis.GetServer(redis.GetEndPoints()[0]).TimeAsync();
        double nowMs = (serverNow - DateTime.UnixEpoch).TotalMilliseconds, nowSeconds = clock.Elapsed.TotalSeconds;
        foreach (var user in fleet.Users)
        {
            var entries = await db.HashGetAllAsync($"aibrix:{{u:{user.Name}}}:tpm:amounts");
            long sum = 0;
            foreach (var entry in entries)
            {
                long amount = (long)entry.Value;
                sum += amount;
                if (!entry.Name.ToString().EndsWith(":x", StringComparison.Ordinal) && amount >= SoakFleet.PromptOverheadTokens)
                {
                    // When it was admitted, on the soak's clock (the log's score is Redis's admission time in ms).
                    double? score = await db.SortedSetScoreAsync($"aibrix:{{u:{user.Name}}}:tpm", entry.Name);
                    unsettled.Add((user.Name, score is { } ms ? nowSeconds - ((nowMs - ms) / 1000) : double.NaN));
                }
            }

            var stored = await db.StringGetAsync($"aibrix:{{u:{user.Name}}}:tpm:sum");
            if (entries.Length > 0 || stored.HasValue)
            {
                drift += (stored.HasValue ? (long)stored : 0) - sum;
            }
        }

        return (unsettled, drift);
    }

    private static async Task ProgressAsync(SoakSettings settings, ConcurrentBag<SoakRecord> records, SoakClock clock, Task sending)
    {
        if (settings.Json || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int minute = 0;
            while (!sending.IsCompleted)
            {
                await Task.WhenAny(sending, Task.Delay(1000));
                if (clock.Elapsed.TotalSeconds >= 0 && (int)(clock.Elapsed.TotalSeconds / 60) > minute)
                {
                    minute = (int)(clock.Elapsed.TotalSeconds / 60);
                    var done = records.ToArray();
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"minute {minute}: {done.Length} requests, {done.Count(r => !SoakAnalysis.Expected(r.Kind, r.Status))} not as expected"));
                }
            }

            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("soak", maxValue: settings.DurationSeconds + settings.WarmupSeconds);
                while (!sending.IsCompleted)
                {
                    await Task.WhenAny(sending, Task.Delay(500));
                    var done = records.ToArray();
                    task.Value = Math.Clamp(clock.Elapsed.TotalSeconds + settings.WarmupSeconds, 0, settings.DurationSeconds + settings.WarmupSeconds);
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"soak: {done.Length} requests, {done.Count(r => !SoakAnalysis.Expected(r.Kind, r.Status))} not as expected"));
                }

                task.Value = settings.DurationSeconds + settings.WarmupSeconds;
            });
    }
}
