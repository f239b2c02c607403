using System.Diagnostics;

namespace AIBrix.Bench.Soak;

/// <summary>
/// The warm-up's schedule: before the measured minutes the offered rate climbs linearly from
/// <see cref="StartShare"/> of the rate to the whole rate over the warm-up, so cold processes (JIT, thread pools,
/// connection pools) meet a load that grows instead of the full rate at once. Times are seconds from the start of
/// the measured part: the warm-up's requests have negative start times.
/// </summary>
public static class WarmupRamp
{
    /// <summary>The share of the rate the warm-up begins at.</summary>
    public const double StartShare = 0.1;

    /// <summary>The offered rate (requests/s) at <paramref name="seconds"/> from the measured start.</summary>
    public static double RateAt(double seconds, double rate, double warmupSeconds)
    {
        if (warmupSeconds <= 0 || seconds >= 0)
        {
            return rate;
        }

        double since = Math.Max(0, seconds + warmupSeconds);
        return rate * (StartShare + ((1 - StartShare) * since / warmupSeconds));
    }

    /// <summary>How many requests the warm-up sends: the area under its ramp.</summary>
    public static double WarmupRequests(double rate, double warmupSeconds) =>
        warmupSeconds <= 0 ? 0 : warmupSeconds * rate * (1 + StartShare) / 2;

    /// <summary>How many requests start in the warm-up (those whose index is below <see cref="WarmupRequests"/>).</summary>
    public static long WarmupCount(double rate, double warmupSeconds) => (long)Math.Ceiling(WarmupRequests(rate, warmupSeconds));

    /// <summary>
    /// When request <paramref name="index"/> (from 0, counting the warm-up's) is due, in seconds from the measured
    /// start: the time at which the ramp's cumulative count reaches it. Without a warm-up, index / rate.
    /// </summary>
    public static double Due(long index, double rate, double warmupSeconds)
    {
        double warmup = WarmupRequests(rate, warmupSeconds);
        if (index >= warmup)
        {
            return (index - warmup) / rate;
        }

        // Count after t seconds of warm-up: r0 t + (rate - r0) t² / 2W; solved for t.
        double r0 = rate * StartShare, a = (rate - r0) / (2 * warmupSeconds);
        double t = (-r0 + Math.Sqrt((r0 * r0) + (4 * a * index))) / (2 * a);
        return t - warmupSeconds;
    }
}

/// <summary>The soak's clock: seconds from the start of the measured part (negative during the warm-up).</summary>
public sealed class SoakClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly TimeSpan _warmup;

    public SoakClock(double warmupSeconds) => _warmup = TimeSpan.FromSeconds(warmupSeconds);

    /// <summary>Time since the measured part began (negative while warming up).</summary>
    public TimeSpan Elapsed => _watch.Elapsed - _warmup;
}
