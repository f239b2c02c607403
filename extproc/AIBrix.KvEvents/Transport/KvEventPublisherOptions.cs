namespace AIBrix.KvEvents;

/// <summary>
/// Where and how a <see cref="ZmqKvEventPublisher"/> publishes; the defaults are vLLM's <c>KVEventsConfig</c>.
/// </summary>
public sealed record KvEventPublisherOptions
{
    /// <summary>PUB endpoint to bind, e.g. <c>tcp://*:5557</c>; port 0 (<c>tcp://127.0.0.1:0</c>) takes a free port.</summary>
    public string Endpoint { get; init; } = $"tcp://*:{KvEventWire.DefaultPort}";

    /// <summary>ROUTER endpoint for replay requests, or null for none; port 0 takes a free port.</summary>
    public string? ReplayEndpoint { get; init; }

    /// <summary>Batches kept for replay (<c>buffer_steps</c>).</summary>
    public int ReplayBufferSteps { get; init; } = KvEventWire.DefaultReplayBufferSteps;

    /// <summary>The PUB socket's high-water mark (<c>hwm</c>): messages beyond it are dropped for a slow subscriber.</summary>
    public int HighWaterMark { get; init; } = KvEventWire.DefaultHighWaterMark;

    /// <summary>The first frame of every message (<c>topic</c>); subscribers filter on its prefix.</summary>
    public string Topic { get; init; } = "";

    /// <summary>Event layout inside batches.</summary>
    public KvEventEncoding Encoding { get; init; } = KvEventEncoding.Map;

    /// <summary>Rank written into batches that carry none (vLLM writes its data-parallel rank, 0 without DP).</summary>
    public int DataParallelRank { get; init; }

    /// <summary>Every problem, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsTcp(Endpoint))
        {
            errors.Add($"kv-events endpoint '{Endpoint}' is not tcp://HOST:PORT");
        }

        if (ReplayEndpoint is not null && !IsTcp(ReplayEndpoint))
        {
            errors.Add($"kv-events replay endpoint '{ReplayEndpoint}' is not tcp://HOST:PORT");
        }

        if (ReplayBufferSteps < 1)
        {
            errors.Add("kv-events replay buffer must hold at least 1 batch");
        }

        if (HighWaterMark < 1)
        {
            errors.Add("kv-events high-water mark must be at least 1");
        }

        return errors;
    }

    internal static bool IsTcp(string endpoint) =>
        endpoint.StartsWith("tcp://", StringComparison.Ordinal)
        && endpoint.LastIndexOf(':') is var colon and > 6
        && int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
        && port is >= 0 and <= 65535;
}
