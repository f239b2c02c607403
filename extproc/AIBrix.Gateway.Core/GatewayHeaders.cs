namespace AIBrix.Gateway.Core;

/// <summary>Header and metadata names on the wire (AIBrix's and the endpoint-picker protocol's).</summary>
public static class GatewayHeaders
{
    /// <summary>AIBrix: the chosen pod, <c>ip:port</c>; Envoy's ORIGINAL_DST cluster reads it.</summary>
    public const string TargetPod = "target-pod";

    /// <summary>gateway-api-inference-extension: the chosen endpoint, <c>ip:port</c>.</summary>
    public const string DestinationEndpoint = "x-gateway-destination-endpoint";

    /// <summary>Dynamic metadata namespace read by Envoy's load balancer for the endpoint-picker protocol.</summary>
    public const string DestinationMetadataNamespace = "envoy.lb";

    /// <summary>gateway-api-inference-extension: filter metadata namespace of the proxy's subset hint.</summary>
    public const string SubsetHintNamespace = "envoy.lb.subset_hint";

    /// <summary>gateway-api-inference-extension: the subset hint's key, a list of <c>ip:port</c> the pick must come from.</summary>
    public const string DestinationEndpointSubset = "x-gateway-destination-endpoint-subset";

    /// <summary>gateway-api-inference-extension: the InferenceObjective a request belongs to (its priority decides shedding).</summary>
    public const string InferenceObjective = "x-gateway-inference-objective";

    /// <summary>Routing strategy requested by the client (AIBrix).</summary>
    public const string RoutingStrategy = "routing-strategy";

    /// <summary>A label selector over endpoint labels, applied before the strategy (AIBrix).</summary>
    public const string ExternalFilter = "external-filter";

    /// <summary>Response header naming why the strategy fell back to another rule (metrics missing or stale...).</summary>
    public const string RoutingFallback = "x-aibrix-routing-fallback";

    /// <summary>Model name, set so a per-model HTTPRoute can route when no strategy applies.</summary>
    public const string Model = "model";

    /// <summary>Request id echoed on the response.</summary>
    public const string RequestId = "request-id";

    /// <summary>Envoy's request id header.</summary>
    public const string EnvoyRequestId = "x-request-id";

    /// <summary>
    /// The client's credentials. With <c>auth.mode: apikey</c> the key is the gateway's business only:
    /// it is removed before the request goes upstream, so engines and their logs never see users' keys.
    /// </summary>
    public const string Authorization = "authorization";

    /// <summary>The user the request is accounted to.</summary>
    public const string User = "user";

    /// <summary>Prefix of the header naming the cause of an error (AIBrix's convention).</summary>
    public const string ErrorPrefix = "x-error-";

    /// <summary>Environment variable naming the default strategy (AIBrix compatibility).</summary>
    public const string RoutingAlgorithmEnv = "ROUTING_ALGORITHM";
}
