using System.Text.Json.Serialization;

namespace AIBrix.EngineSim;

/// <summary>Faults an instance injects into its OpenAI routes (<c>/v1/*</c>) and <c>/metrics</c>.</summary>
public sealed record FaultSettings
{
    /// <summary>No faults.</summary>
    public static FaultSettings None { get; } = new();

    /// <summary>Probability in [0, 1] that a request fails with a 500 server_error.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Wall-clock milliseconds added before a request is handled.</summary>
    public int AddedLatencyMs { get; init; }

    /// <summary>Requests never get an answer (until the client gives up).</summary>
    public bool Hang { get; init; }

    /// <summary>Connections are cut halfway through the output (streams) or before the body (non-streaming).</summary>
    public bool DropMidStream { get; init; }

    /// <summary><c>/metrics</c> answers 503.</summary>
    public bool MetricsDown { get; init; }

    /// <summary>Whether any fault is on.</summary>
    [JsonIgnore]
    public bool Any => ErrorRate > 0 || AddedLatencyMs > 0 || Hang || DropMidStream || MetricsDown;
}
