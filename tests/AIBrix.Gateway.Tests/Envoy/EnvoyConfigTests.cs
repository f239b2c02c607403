using AIBrix.Gateway.Core;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Gateway.Tests.Envoy;

/// <summary>
/// The YAML under envoy/ is not run by any test Envoy, so these tests hold it to the values the
/// gateway's code assumes: the gRPC port, the ORIGINAL_DST header, the body modes the request
/// pipeline is written for, the message timeout and the metadata namespace.
/// </summary>
public sealed class EnvoyConfigTests
{
    private static readonly string EnvoyDir = Path.Combine(RepoRoot(), "envoy");

    [Fact]
    public void Bootstrap_ext_proc_cluster_points_at_the_gateway_grpc_port_over_http2()
    {
        var cluster = Cluster(Bootstrap(), "aibrix-gateway-extproc");

        var socket = cluster.Path("load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address");
        Assert.Equal("127.0.0.1", socket.Scalar("address"));
        Assert.Equal(GatewayDefaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), socket.Scalar("port_value"));
        Assert.True(Contains(cluster, "http2_protocol_options"), "gRPC needs an HTTP/2 cluster");
    }

    [Fact]
    public void Bootstrap_ext_proc_filter_uses_buffered_request_and_streamed_response_bodies()
    {
        var filter = ExtProcFilter();

        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor", filter.Scalar("@type"));
        Assert.Equal("aibrix-gateway-extproc", filter.Path("grpc_service", "envoy_grpc").Scalar("cluster_name"));
        var mode = filter.Path("processing_mode");
        Assert.Equal("SEND", mode.Scalar("request_header_mode"));
        Assert.Equal("SEND", mode.Scalar("response_header_mode"));
        Assert.Equal("BUFFERED", mode.Scalar("request_body_mode"));
        Assert.Equal("STREAMED", mode.Scalar("response_body_mode"));
        Assert.Equal("SKIP", mode.Scalar("request_trailer_mode"));
        Assert.Equal("SKIP", mode.Scalar("response_trailer_mode"));
        Assert.Equal("0.2s", filter.Scalar("message_timeout"));
        Assert.Equal("false", filter.Scalar("failure_mode_allow"));
        Assert.Equal("true", filter.Scalar("allow_mode_override"));
    }

    [Fact]
    public void Bootstrap_accepts_dynamic_metadata_in_the_destination_namespace()
    {
        var untyped = ExtProcFilter().List("metadata_options", "receiving_namespaces", "untyped");
        Assert.Contains(GatewayHeaders.DestinationMetadataNamespace, untyped.Children.Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Bootstrap_routes_to_an_original_destination_cluster_reading_target_pod()
    {
        var bootstrap = Bootstrap();
        var cluster = Cluster(bootstrap, "original_destination_cluster");

        Assert.Equal("ORIGINAL_DST", cluster.Scalar("type"));
        Assert.Equal("CLUSTER_PROVIDED", cluster.Scalar("lb_policy"));
        Assert.Equal("true", cluster.Path("original_dst_lb_config").Scalar("use_http_header"));
        Assert.Equal(GatewayHeaders.TargetPod, cluster.Path("original_dst_lb_config").Scalar("http_header_name"));

        var route = Hcm(bootstrap).Path("route_config", "virtual_hosts", 0, "routes", 0, "route");
        Assert.Equal("original_destination_cluster", route.Scalar("cluster"));
        Assert.Equal("0s", route.Scalar("timeout"));

        var admin = bootstrap.Path("admin", "address", "socket_address");
        Assert.Equal("127.0.0.1", admin.Scalar("address"));
        Assert.Equal("9901", admin.Scalar("port_value"));
    }

    [Fact]
    public void Bootstrap_runs_ext_authz_then_ext_proc_before_the_router()
    {
        var names = (Hcm(Bootstrap()).List("http_filters")).Children
            .Select(f => ((YamlMappingNode)f).Scalar("name")).ToList();
        Assert.Equal(["envoy.filters.http.ext_authz", "envoy.filters.http.ext_proc", "envoy.filters.http.router"], names);
    }

    [Fact]
    public void Bootstrap_ext_authz_calls_the_gateway_grpc_port_and_fails_closed()
    {
        var filter = (Hcm(Bootstrap()).List("http_filters")).Children.Cast<YamlMappingNode>()
            .Single(f => f.Scalar("name") == "envoy.filters.http.ext_authz").Path("typed_config");

        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz", filter.Scalar("@type"));
        Assert.Equal("V3", filter.Scalar("transport_api_version"));
        Assert.Equal("aibrix-gateway-extproc", filter.Path("grpc_service", "envoy_grpc").Scalar("cluster_name"));
        Assert.Equal("false", filter.Scalar("failure_mode_allow"));
    }

    [Fact]
    public void Security_policy_sends_the_authorization_header_to_the_gateway_ext_authz()
    {
        var policy = Document("gateway/security-policy.yaml", "SecurityPolicy");

        Assert.Equal("gateway.envoyproxy.io/v1alpha1", policy.Scalar("apiVersion"));
        Assert.Equal("aibrix-llm-route", policy.Path("spec", "targetRefs", 0).Scalar("name"));
        var backend = policy.Path("spec", "extAuth", "grpc", "backendRefs", 0);
        Assert.Equal("aibrix-gateway-plugins", backend.Scalar("name"));
        Assert.Equal(GatewayDefaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), backend.Scalar("port"));
        Assert.Contains("authorization", policy.Path("spec", "extAuth").List("headersToExtAuth").Children.Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Extension_policy_calls_the_gateway_service_with_the_same_body_modes()
    {
        var policy = Document("gateway/extension-policy.yaml", "EnvoyExtensionPolicy");

        Assert.Equal("gateway.envoyproxy.io/v1alpha1", policy.Scalar("apiVersion"));
        Assert.Equal("aibrix-gateway-plugins", policy.Path("metadata").Scalar("name"));
        var target = policy.Path("spec", "targetRefs", 0);
        Assert.Equal("HTTPRoute", target.Scalar("kind"));
        Assert.Equal("aibrix-llm-route", target.Scalar("name"));
        var extProc = policy.Path("spec", "extProc", 0);
        var backend = extProc.Path("backendRefs", 0);
        Assert.Equal("aibrix-gateway-plugins", backend.Scalar("name"));
        Assert.Equal(GatewayDefaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), backend.Scalar("port"));
        Assert.Equal("Buffered", extProc.Path("processingMode", "request").Scalar("body"));
        Assert.Equal("Streamed", extProc.Path("processingMode", "response").Scalar("body"));
        Assert.Equal("200ms", extProc.Scalar("messageTimeout"));
        Assert.Equal(GatewayHeaders.DestinationMetadataNamespace,
            ((YamlScalarNode)(extProc.List("metadata", "writableNamespaces")).Children[0]).Value);
    }

    [Fact]
    public void Http_route_covers_the_openai_paths_the_gateway_parses()
    {
        var route = Document("gateway/httproute.yaml", "HTTPRoute");

        var paths = (route.List("spec", "rules", 0, "matches")).Children
            .Select(m => ((YamlMappingNode)m).Path("path").Scalar("value"))
            .ToHashSet();
        Assert.Equal(new HashSet<string> { "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses" }, paths);
    }

    [Fact]
    public void Patch_policy_adds_original_destination_cluster_reading_target_pod_and_keeps_ext_proc_on()
    {
        var policy = Document("gateway/patch-policy.yaml", "EnvoyPatchPolicy");
        var patches = (policy.List("spec", "jsonPatches")).Children.Cast<YamlMappingNode>().ToList();

        var cluster = patches.Single(p => p.Scalar("type") == "type.googleapis.com/envoy.config.cluster.v3.Cluster").Path("operation", "value");
        Assert.Equal("ORIGINAL_DST", cluster.Scalar("type"));
        Assert.Equal(GatewayHeaders.TargetPod, cluster.Path("original_dst_lb_config").Scalar("http_header_name"));

        var route = patches.Single(p => p.Scalar("type") == "type.googleapis.com/envoy.config.route.v3.RouteConfiguration").Path("operation", "value");
        Assert.Equal(GatewayHeaders.TargetPod, route.Path("match", "headers", 0).Scalar("name"));
        Assert.Equal(cluster.Scalar("name"), route.Path("route").Scalar("cluster"));
        var filterKey = ((YamlMappingNode)route.Path("typed_per_filter_config")).Children.Keys.Cast<YamlScalarNode>().Single().Value;
        Assert.Equal("envoy.filters.http.ext_proc/envoyextensionpolicy/aibrix-system/aibrix-gateway-plugins/extproc/0", filterKey);
    }

    [Fact]
    public void Inference_pool_uses_the_gateway_as_endpoint_picker()
    {
        var pool = Document("inference-pool/inferencepool.yaml", "InferencePool");

        Assert.Equal("inference.networking.k8s.io/v1", pool.Scalar("apiVersion"));
        var picker = pool.Path("spec", "endpointPickerRef");
        Assert.Equal("aibrix-gateway-plugins", picker.Scalar("name"));
        Assert.Equal(GatewayDefaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), picker.Path("port").Scalar("number"));
    }

    private static YamlMappingNode Bootstrap() => Document("envoy.yaml", kind: null);

    private static YamlMappingNode Hcm(YamlMappingNode bootstrap) =>
        bootstrap.Path("static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config");

    private static YamlMappingNode ExtProcFilter() =>
        (Hcm(Bootstrap()).List("http_filters")).Children.Cast<YamlMappingNode>()
            .Single(f => f.Scalar("name") == "envoy.filters.http.ext_proc")
            .Path("typed_config");

    private static YamlMappingNode Cluster(YamlMappingNode bootstrap, string name) =>
        (bootstrap.List("static_resources", "clusters")).Children.Cast<YamlMappingNode>()
            .Single(c => c.Scalar("name") == name);

    private static bool Contains(YamlNode node, string key) => node switch
    {
        YamlMappingNode map => map.Children.Any(kv => ((YamlScalarNode)kv.Key).Value == key || Contains(kv.Value, key)),
        YamlSequenceNode seq => seq.Children.Any(n => Contains(n, key)),
        _ => false,
    };

    /// <summary>The (first) document of the file, or the one of the given kind in a multi-document file.</summary>
    private static YamlMappingNode Document(string relativePath, string? kind)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(EnvoyDir, relativePath)))
        {
            stream.Load(reader);
        }
        var roots = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        return kind is null ? roots[0] : roots.Single(r => r.Scalar("kind") == kind);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AIBrix.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Navigation over YamlDotNet's representation model: keys (string) and list indexes (int).</summary>
internal static class YamlPath
{
    public static YamlMappingNode Path(this YamlMappingNode node, params object[] steps) => (YamlMappingNode)Walk(node, steps);

    public static YamlSequenceNode List(this YamlMappingNode node, params object[] steps) => (YamlSequenceNode)Walk(node, steps);

    public static string Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlScalarNode)value).Value ?? ""
            : throw new KeyNotFoundException($"'{key}' not found at {node.Start}");

    private static YamlNode Walk(YamlNode node, object[] steps)
    {
        foreach (var step in steps)
        {
            node = step switch
            {
                string key => ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
                    ? child
                    : throw new KeyNotFoundException($"'{key}' not found at {node.Start}"),
                int index => ((YamlSequenceNode)node).Children[index],
                _ => throw new ArgumentException("steps are keys or indexes", nameof(steps)),
            };
        }
        return node;
    }
}
