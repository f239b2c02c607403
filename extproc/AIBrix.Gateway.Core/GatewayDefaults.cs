namespace AIBrix.Gateway.Core;

/// <summary>Defaults shared by the hosts, the Envoy manifests, the Helm chart (both checked by tests) and the docs.</summary>
public static class GatewayDefaults
{
    /// <summary>
    /// The gateway's Kubernetes Service (and Deployment) when charts/aibrix is installed as release "aibrix": the name
    /// Envoy Gateway's policies (envoy/gateway) and an InferencePool's endpointPickerRef point at. AIBrix uses it too.
    /// </summary>
    public const string ServiceName = "aibrix-gateway-plugins";

    /// <summary>The namespace the chart's walkthrough and the Envoy Gateway manifests install into.</summary>
    public const string Namespace = "aibrix-system";

    /// <summary>gRPC port of the ext_proc (and later ext_authz) services; AIBrix's gateway plugin listens here.</summary>
    public const int GrpcPort = 50052;

    /// <summary>HTTP side port: health, readiness, Prometheus metrics, debug and admin routes.</summary>
    public const int HttpPort = 8080;

    /// <summary>HTTP port of the standalone gateway (the OpenAI API, the operator page, metrics).</summary>
    public const int StandalonePort = 8888;

    /// <summary>Default serving port of a model pod when none is given.</summary>
    public const int EnginePort = 8000;

    /// <summary>Engine metrics scrape interval.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Fully qualified gRPC service name of Envoy's external processor.</summary>
    public const string ExtProcServiceName = "envoy.service.ext_proc.v3.ExternalProcessor";
}
