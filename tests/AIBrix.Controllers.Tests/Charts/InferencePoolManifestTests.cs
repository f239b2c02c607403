using System.Text.Json;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Gateway.Core;
using AIBrix.Kubernetes.Crds;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// envoy/inference-pool against the code and the chart: the InferencePool is the v1 shape the gateway's discovery reads
/// (its own type deserialises it), it names the gateway's Service and port in the Service's own namespace (GIE's
/// endpointPickerRef is namespace-local), the route points at the pool, and the chart's gateway.inferencePool values
/// make the gateway discover exactly this pool.
/// </summary>
public sealed class InferencePoolManifestTests
{
    private static List<YamlMappingNode> Documents()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(ChartFixture.PathOf("envoy", "inference-pool", "inferencepool.yaml"))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Pool => Documents().Single(d => d.Text("kind") == InferencePool.KindName);

    [Fact]
    public void Pool_IsTheV1ShapeTheGatewayReads()
    {
        var yaml = Pool;
        var pool = k8s.KubernetesJson.Deserialize<InferencePool>(JsonSerializer.Serialize(HelmYaml.FromNode(yaml)));

        Assert.Equal($"{InferencePool.Group}/{InferencePool.Version}", pool.ApiVersion);
        Assert.Equal(ModelLabels.DefaultPort, Assert.Single(pool.Spec.TargetPorts).Number);
        Assert.Equal(ModelLabels.Name, Assert.Single(pool.Spec.Selector.MatchLabels).Key);
        var picker = pool.Spec.EndpointPickerRef!;
        Assert.Equal(("Service", GatewayDefaults.ServiceName, GatewayDefaults.GrpcPort), (picker.Kind, picker.Name, picker.Port?.Number));
        Assert.Contains(picker.FailureMode, new[] { "FailOpen", "FailClose" });
    }

    [Fact]
    public void Pool_LivesWithTheGatewayService_AndTheRouteSendsToIt()
    {
        var service = ChartFixture.Render().Get("Service", GatewayDefaults.ServiceName);
        var pool = Pool;
        var route = Documents().Single(d => d.Text("kind") == "HTTPRoute");
        var backend = route.At("spec", "rules", 0, "backendRefs", 0);

        Assert.Equal(service.Node.Text("metadata", "namespace"), pool.Text("metadata", "namespace"));
        Assert.Equal(pool.Text("metadata", "namespace"), route.Text("metadata", "namespace"));
        Assert.Equal((InferencePool.Group, InferencePool.KindName, pool.Text("metadata", "name")), (backend.Text("group"), backend.Text("kind"), backend.Text("name")));
    }

    [Fact]
    public void Chart_WithThePoolsName_DiscoversThatPoolInItsNamespace()
    {
        var pool = Pool;
        var chart = ChartFixture.Render($"gateway: {{inferencePool: {{name: {pool.Text("metadata", "name")}}}}}");

        var args = ChartRenderTests.Container(chart, GatewayDefaults.ServiceName).Strings("args");

        Assert.Equal(["--discovery", "inferencepool", "--pool", pool.Text("metadata", "name"), "--pool-namespace", pool.Text("metadata", "namespace")],
            args.SkipWhile(a => a != "--discovery").Take(6));
    }
}
