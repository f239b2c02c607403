namespace AIBrix.Bench.Soak;

/// <summary>What a soak runs: the command line, bound.</summary>
public sealed record SoakSettings
{
    /// <summary>A client gives up on a request after this long (a hung engine's requests end so).</summary>
    public const int RequestTimeoutSeconds = 8;

    public const string ExtProcMode = "extproc";

    public const string StandaloneMode = "standalone";

    public const string BothModes = "both";

    /// <summary>The model the engines serve.</summary>
    public const string Model = "soak-model";

    public double Minutes { get; init; } = 1;

    /// <summary>Requests per second, all modes together (split evenly between them).</summary>
    public double Rate { get; init; } = 50;

    public string Mode { get; init; } = BothModes;

    public int Seed { get; init; } = 1;

    public string? ReportDirectory { get; init; }

    public bool Json { get; init; }

    /// <summary>
    /// An existing Redis (host:port) instead of a redis-server of the soak's own; then Redis is not restarted. The
    /// word <see cref="ClusterRedis"/> starts a Redis Cluster of the soak's own instead (three primaries, a replica each).
    /// </summary>
    public string? Redis { get; init; }

    public const string ClusterRedis = "cluster";

    /// <summary>Whether the soak runs its own Redis Cluster (and kills a primary where it would restart Redis).</summary>
    public bool RedisCluster => string.Equals(Redis, ClusterRedis, StringComparison.OrdinalIgnoreCase);

    public string RedisServer { get; init; } = Limits.LocalRedis.DefaultExecutable;

    /// <summary>Engine pods (simulator processes).</summary>
    public int Pods { get; init; } = 4;

    /// <summary>Fraction of requests that are hostile (malformed, unknown model, bad key, too large, over the limit).</summary>
    public double HostileShare { get; init; } = 0.1;

    /// <summary>
    /// A gateway whose GC heap floor (the lowest sample of each 30 s window: what survives collections) rises faster
    /// than this (MB/min, least squares over the floors) leaks.
    /// </summary>
    public double LeakMbPerMinute { get; init; } = 2;

    /// <summary>
    /// Seconds of warm-up before the measured minutes: the offered rate climbs from a tenth of <see cref="Rate"/> to
    /// all of it (<see cref="WarmupRamp"/>); its requests are reported apart and count only for limits and reservations.
    /// </summary>
    public double WarmupSeconds { get; init; } = 60;

    /// <summary>Run without faults.</summary>
    public bool NoFaults { get; init; }

    /// <summary>
    /// Test only: the tight user's RPM in Redis is this many times the RPM the checks hold it to (1: the same), so a
    /// misconfigured limit must show up as violations.
    /// </summary>
    public int TestLimitSkew { get; init; } = 1;

    /// <summary>Test only: one reservation is made for a user straight through the limiter and never settled.</summary>
    public bool TestLeaveReservation { get; init; }

    public double DurationSeconds => Minutes * 60;

    public IReadOnlyList<string> Modes => Mode == BothModes ? [ExtProcMode, StandaloneMode] : [Mode];
}
