namespace AIBrix.Gateway.Core.Processing;

/// <summary>Limits of the request path.</summary>
public sealed record GatewayPipelineOptions
{
    /// <summary>
    /// Largest request body accepted, in bytes (default 32 MiB: far above any prompt a model with a
    /// 1M-token context takes, low enough that one client can't exhaust memory).
    /// </summary>
    public int MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Ejection of failing endpoints and retries on another one.</summary>
    public Endpoints.PassiveHealthOptions PassiveHealth { get; init; } = new();
}
