namespace AIBrix.Controllers.ModelRouter;

/// <summary>Settings of the model router; the defaults are AIBrix's names (Gateway <c>aibrix-eg</c> in <c>aibrix-system</c>).</summary>
public sealed record ModelRouterOptions
{
    /// <summary>Namespaces whose Deployments and StatefulSets are watched; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>The Gateway every HTTPRoute attaches to (its <c>parentRefs</c>).</summary>
    public string GatewayName { get; init; } = "aibrix-eg";

    /// <summary>The Gateway's namespace.</summary>
    public string GatewayNamespace { get; init; } = "aibrix-system";

    /// <summary>The route's request timeout (AIBrix: 120 s, <c>AIBRIX_GATEWAY_TIMEOUT_SECONDS</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Parallel reconciles.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
