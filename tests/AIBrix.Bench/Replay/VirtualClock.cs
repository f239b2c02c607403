namespace AIBrix.Bench.Replay;

/// <summary>
/// The replay's clock: time moves only when the event loop says so. Handed to the routing core wherever it
/// takes a <see cref="TimeProvider"/>, so metric staleness and index ageing follow the trace, not the CPU.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>Virtual time zero (fixed, so runs are reproducible).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Seconds since <see cref="Epoch"/>.</summary>
    public double Seconds { get; set; }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks((long)(Seconds * TimeSpan.TicksPerSecond));

    /// <inheritdoc/>
    public override long GetTimestamp() => (long)(Seconds * TimestampFrequency);

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
