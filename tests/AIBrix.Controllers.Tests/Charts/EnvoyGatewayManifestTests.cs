using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Gateway.Core;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// One source of truth for names: the manifests in envoy/gateway are what the chart renders for release "aibrix"
/// (so neither can drift from the other), they point at the Service the chart creates, and the Service's name and port
/// are the code's <see cref="GatewayDefaults"/>. The InferencePool example points at the same Service.
/// </summary>
public sealed class EnvoyGatewayManifestTests
{
    private const string EnvoyGatewayValues = "envoyGateway: {enabled: true}\ngateway: {config: {auth: {mode: apikey}}}";

    public static TheoryData<string> StaticFiles() => new(Directory.EnumerateFiles(ChartFixture.PathOf("envoy", "gateway"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(StaticFiles))]
    public void StaticManifest_IsWhatTheChartRendersForReleaseAibrix(string file)
    {
        var rendered = ChartFixture.Render(EnvoyGatewayValues).Manifests;

        foreach (var expected in Load(ChartFixture.PathOf("envoy", "gateway", file)))
        {
            string kind = expected.Text("kind"), name = expected.Text("metadata", "name");
            var actual = rendered.SingleOrDefault(m => m.Kind == kind && m.Name == name)
                ?? throw new Xunit.Sdk.XunitException($"the chart renders no {kind}/{name} ({file})");
            Assert.Equal(Canonical(expected), Canonical(WithoutLabels(actual.Node)));
        }
    }

    [Fact]
    public void ChartsEnvoyObjects_AreAllInEnvoyGateway()
    {
        var fromFiles = Directory.EnumerateFiles(ChartFixture.PathOf("envoy", "gateway"), "*.yaml").SelectMany(Load)
            .Select(d => $"{d.Text("kind")}/{d.Text("metadata", "name")}").ToHashSet(StringComparer.Ordinal);

        var rendered = ChartFixture.Render(EnvoyGatewayValues).Manifests.Where(m => m.File.StartsWith("templates/envoy-gateway/", StringComparison.Ordinal))
            .Select(m => $"{m.Kind}/{m.Name}").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(fromFiles.Order(StringComparer.Ordinal), rendered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OneSourceOfTruth_ServiceNameAndPort_AgreeAcrossChartEnvoyGatewayInferencePoolAndCode()
    {
        var service = ChartFixture.Render().Get("Service", GatewayDefaults.ServiceName);
        int grpc = service.Node.Items("spec", "ports").Single(p => p.Text("name") == "grpc").Int("port");
        var docs = Directory.EnumerateFiles(ChartFixture.PathOf("envoy", "gateway"), "*.yaml").SelectMany(Load).ToList();

        var refs = new List<(string Where, string Name, int Port)>();
        foreach (var d in docs)
        {
            string where = $"{d.Text("kind")}/{d.Text("metadata", "name")}";
            refs.AddRange(d.Items("spec", "extProc").SelectMany(e => e.Items("backendRefs")).Select(b => (where, b.Text("name"), b.Int("port"))));
            refs.AddRange(d.Items("spec", "extAuth", "grpc", "backendRefs").Select(b => (where, b.Text("name"), b.Int("port"))));
            refs.AddRange(d.Items("spec", "rules").SelectMany(r => r.Items("backendRefs")).Select(b => (where, b.Text("name"), b.Int("port"))));
            if (d.Has("metadata", "namespace"))
            {
                Assert.Equal(GatewayDefaults.Namespace, d.Text("metadata", "namespace"));
            }
        }

        var pool = Load(ChartFixture.PathOf("envoy", "inference-pool", "inferencepool.yaml")).Single(d => d.Text("kind") == "InferencePool");
        refs.Add(("InferencePool", pool.Text("spec", "endpointPickerRef", "name"), pool.Int("spec", "endpointPickerRef", "port", "number")));

        Assert.Equal(4, refs.Count); // ext_proc, ext_authz, the route's placeholder backend, the pool's endpoint picker
        Assert.All(refs, r => Assert.Equal((GatewayDefaults.ServiceName, GatewayDefaults.GrpcPort), (r.Name, r.Port)));
        Assert.Equal(GatewayDefaults.GrpcPort, grpc);
        Assert.Equal(GatewayDefaults.Namespace, service.Node.Text("metadata", "namespace"));
    }

    [Fact]
    public void AnyRelease_PoliciesPointAtItsServiceRouteAndGeneratedXdsNames()
    {
        const string values = "envoyGateway: {enabled: true, gatewayClass: {create: false, name: shared-eg}}\ngateway: {config: {auth: {mode: apikey}}}";
        var chart = ChartFixture.Render(values, release: "prod", ns: "llm");
        const string service = "prod-aibrix-gateway-plugins";

        var gateway = chart.Single("Gateway");
        string listener = gateway.Node.Text("spec", "listeners", 0, "name");
        Assert.Equal("shared-eg", gateway.Node.Text("spec", "gatewayClassName"));
        Assert.Empty(chart.OfKind("GatewayClass"));
        var route = chart.Single("HTTPRoute");
        Assert.Equal(gateway.Name, route.Node.Text("spec", "parentRefs", 0, "name"));

        var extension = chart.Single("EnvoyExtensionPolicy");
        Assert.Equal((route.Name, "HTTPRoute"), (extension.Node.Text("spec", "targetRefs", 0, "name"), extension.Node.Text("spec", "targetRefs", 0, "kind")));
        Assert.Equal(service, extension.Node.Text("spec", "extProc", 0, "backendRefs", 0, "name"));
        Assert.Equal(GatewayHeaders.DestinationMetadataNamespace, extension.Node.Strings("spec", "extProc", 0, "metadata", "writableNamespaces").Single());
        Assert.Equal(service, chart.Single("SecurityPolicy").Node.Text("spec", "extAuth", "grpc", "backendRefs", 0, "name"));

        var patch = chart.Single("EnvoyPatchPolicy");
        Assert.Equal(gateway.Name, patch.Node.Text("spec", "targetRef", "name"));
        var patches = patch.Node.Items("spec", "jsonPatches");
        var routePatch = patches.Single(p => p.Text("type").EndsWith("RouteConfiguration", StringComparison.Ordinal));
        Assert.Equal($"llm/{gateway.Name}/{listener}", routePatch.Text("name"));
        var filters = routePatch.Map("operation", "value", "typed_per_filter_config").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).ToList();
        Assert.Equal([$"envoy.filters.http.ext_proc/envoyextensionpolicy/llm/{extension.Name}/extproc/0"], filters);
        var match = routePatch.At("operation", "value", "match");
        Assert.Equal(GatewayHeaders.TargetPod, match.Text("headers", 0, "name"));
        Assert.Equal(GatewayHeaders.DestinationMetadataNamespace, match.Text("dynamic_metadata", 0, "filter"));
        Assert.Equal(GatewayHeaders.DestinationEndpoint, match.Text("dynamic_metadata", 0, "path", 0, "key"));
        var cluster = patches.Single(p => p.Text("type").EndsWith("Cluster", StringComparison.Ordinal)).At("operation", "value");
        Assert.Equal(cluster.Text("name"), routePatch.Text("operation", "value", "route", "cluster"));
        Assert.Equal(GatewayHeaders.TargetPod, cluster.Text("original_dst_lb_config", "http_header_name"));
    }

    [Fact]
    public void Disabled_RendersNoEnvoyGatewayObjects()
    {
        var chart = ChartFixture.Render("gateway: {config: {auth: {mode: apikey}}}");

        Assert.DoesNotContain(chart.Manifests, m => m.File.StartsWith("templates/envoy-gateway/", StringComparison.Ordinal));
    }

    private static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode WithoutLabels(YamlMappingNode node)
    {
        var copy = (YamlMappingNode)HelmYamlNode(node);
        ((YamlMappingNode)copy["metadata"]).Children.Remove(new YamlScalarNode("labels"));
        return copy;
    }

    /// <summary>A deep copy through the values model, so the copy can be edited.</summary>
    private static YamlNode HelmYamlNode(YamlNode node)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Canonical(node)));
        return stream.Documents[0].RootNode;
    }

    /// <summary>The document as Helm's values model sees it, printed with sorted keys: equal text means equal YAML.</summary>
    private static string Canonical(YamlNode node) => HelmYaml.ToYaml(HelmYaml.FromNode(node));
}
