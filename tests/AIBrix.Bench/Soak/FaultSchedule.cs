namespace AIBrix.Bench.Soak;

/// <summary>The faults a soak injects.</summary>
public enum FaultKind
{
    /// <summary>An engine pod is killed (SIGKILL) and started again on the same port when the fault ends.</summary>
    EngineKill,

    /// <summary>An engine pod stops answering its OpenAI routes (simulator fault <c>hang</c>); its /metrics still answers.</summary>
    EngineHang,

    /// <summary>An engine pod's /metrics answers 503 (simulator fault <c>metricsDown</c>).</summary>
    MetricsDown,

    /// <summary>redis-server is stopped (SIGTERM; its append-only file keeps users and windows) and started again when the fault ends.</summary>
    RedisRestart,

    /// <summary>One gateway replica of each mode is stopped (SIGTERM, as a rolling restart does) and started again when the fault ends.</summary>
    GatewayRestart,

    /// <summary>The gateways' config file is rewritten (the default strategy changes); they reload it within a second.</summary>
    ConfigReload,

    /// <summary>
    /// With <c>--redis cluster</c>, in place of <see cref="RedisRestart"/>: the primary holding the tight user's slot is
    /// killed (SIGKILL), its replica is promoted, and the node is started again when the fault ends (it rejoins as a replica).
    /// </summary>
    RedisPrimaryKill,
}

/// <summary>One fault: what, on which target (a pod or replica index), from when and for how long (seconds from the start of traffic).</summary>
public sealed record FaultEvent(FaultKind Kind, int Target, double StartSeconds, double DurationSeconds)
{
    /// <summary>When the part was ready again after the fault (seconds from the start; set by the run, which waits for it).</summary>
    public double? ReadySeconds { get; set; }

    /// <summary>Why the part was not ready again within its bound (set by the run, which then goes on without it); null when it recovered.</summary>
    public string? RecoveryError { get; set; }

    /// <summary>Until when failures are laid to this fault: ready again (or the scheduled end) plus the grace time.</summary>
    public double BlameUntil => Math.Max(EndSeconds, ReadySeconds ?? EndSeconds) + GraceSeconds;

    /// <summary>When the fault is over (the pod, Redis or replica is started again).</summary>
    public double EndSeconds => StartSeconds + DurationSeconds;

    /// <summary>
    /// How long after <see cref="EndSeconds"/> failures are still laid to this fault: the time a restarted part takes
    /// to be ready again and be seen so (the gateway's scrape marks a pod ready on its first good scrape, clients
    /// reconnect, a hung request runs into its timeout).
    /// </summary>
    public double GraceSeconds => Kind switch
    {
        FaultKind.EngineHang => SoakSettings.RequestTimeoutSeconds + 2,
        FaultKind.ConfigReload => 3,
        _ => 6,
    };

    /// <summary>A short label: <c>engine-kill(pod-2)</c>.</summary>
    public string Label => Kind switch
    {
        FaultKind.EngineKill or FaultKind.EngineHang or FaultKind.MetricsDown => $"{Name(Kind)}(pod-{Target})",
        FaultKind.GatewayRestart => $"{Name(Kind)}(replica-{Target})",
        _ => Name(Kind),
    };

    /// <summary>The wire name of a kind: <c>engine-kill</c>, <c>redis-restart</c>...</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.EngineKill => "engine-kill",
        FaultKind.EngineHang => "engine-hang",
        FaultKind.MetricsDown => "metrics-down",
        FaultKind.RedisRestart => "redis-restart",
        FaultKind.GatewayRestart => "gateway-restart",
        FaultKind.RedisPrimaryKill => "redis-primary-kill",
        _ => "config-reload",
    };
}

/// <summary>
/// The fault schedule of a soak: a pure function of the seed and the duration. The first and last tenth of the run
/// (at least 5 s each) are left quiet, so the run starts warm and its end-of-run checks read a settled state. The
/// rest is cut into cycles of about five minutes (fewer, shorter ones in a short run); each cycle holds every kind
/// once, in an order and at offsets drawn from the seed, one fault at a time, so each failure has one suspect.
/// </summary>
public static class FaultSchedule
{
    /// <summary>Length of one cycle in a long run.</summary>
    public const double CycleSeconds = 300;

    /// <summary>The faults, ordered by start.</summary>
    public static IReadOnlyList<FaultEvent> Create(int seed, double durationSeconds, int pods, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pods, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        double margin = Math.Max(5, durationSeconds / 10);
        double start = margin, end = durationSeconds - margin;
        // The cluster's primary kill takes the Redis restart's place in a cluster run (SoakRun maps it), not a slot of its own.
        var kinds = Enum.GetValues<FaultKind>().Where(k => k != FaultKind.RedisPrimaryKill).ToArray();
        // A slot per fault needs room for the fault and for its grace time before the next one.
        if (end - start < kinds.Length * 2)
        {
            return [];
        }

        int cycles = Math.Max(1, (int)Math.Round((end - start) / CycleSeconds));
        double cycle = (end - start) / cycles, slot = cycle / kinds.Length;
        var random = new Random(seed);
        var events = new List<FaultEvent>(cycles * kinds.Length);
        for (int c = 0; c < cycles; c++)
        {
            var order = kinds.ToArray();
            random.Shuffle(order);
            for (int k = 0; k < order.Length; k++)
            {
                var kind = order[k];
                // A fault lasts up to a third of its slot (at most 20 s), starts in the slot's first quarter and leaves
                // the rest of the slot for recovery, so faults never overlap and each has its grace time to itself.
                double length = kind == FaultKind.ConfigReload ? 0 : Math.Min(20, slot / 3) * (0.6 + (0.4 * random.NextDouble()));
                double offset = slot / 4 * random.NextDouble();
                int target = kind switch
                {
                    FaultKind.EngineKill or FaultKind.EngineHang or FaultKind.MetricsDown => random.Next(pods),
                    FaultKind.GatewayRestart => random.Next(replicas),
                    _ => 0,
                };
                events.Add(new FaultEvent(kind, target, Math.Round(start + (c * cycle) + (k * slot) + offset, 3), Math.Round(length, 3)));
            }
        }

        return events;
    }
}
