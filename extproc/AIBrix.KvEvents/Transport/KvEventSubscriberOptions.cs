namespace AIBrix.KvEvents;

/// <summary>Where a <see cref="KvEventSubscriber"/> listens and how it recovers missed batches.</summary>
public sealed record KvEventSubscriberOptions
{
    /// <summary>The engine's PUB endpoint, e.g. <c>tcp://10.0.0.7:5557</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The engine's replay (ROUTER) endpoint, or null: then a gap is reported, never filled.</summary>
    public string? ReplayEndpoint { get; init; }

    /// <summary>Topic prefix to subscribe to ("" takes every message).</summary>
    public string Topic { get; init; } = "";

    /// <summary>
    /// The sequence number the subscriber expects first, or null to start from whatever arrives first. 0 asks
    /// the publisher's replay buffer for everything it kept from its start (a late subscriber catches up).
    /// </summary>
    public long? ExpectedFirstSequence { get; init; }

    /// <summary>How long to wait for each replayed message before giving the gap up.</summary>
    public TimeSpan ReplayTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The SUB socket's high-water mark.</summary>
    public int HighWaterMark { get; init; } = KvEventWire.DefaultHighWaterMark;

    /// <summary>Every problem, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!KvEventPublisherOptions.IsTcp(Endpoint) || Endpoint.EndsWith(":0", StringComparison.Ordinal))
        {
            errors.Add($"kv-events endpoint '{Endpoint}' is not tcp://HOST:PORT");
        }

        if (ReplayEndpoint is not null && (!KvEventPublisherOptions.IsTcp(ReplayEndpoint) || ReplayEndpoint.EndsWith(":0", StringComparison.Ordinal)))
        {
            errors.Add($"kv-events replay endpoint '{ReplayEndpoint}' is not tcp://HOST:PORT");
        }

        if (ExpectedFirstSequence is < 0)
        {
            errors.Add("the expected first sequence must be >= 0");
        }

        if (ReplayTimeout <= TimeSpan.Zero)
        {
            errors.Add("the replay timeout must be positive");
        }

        return errors;
    }
}
