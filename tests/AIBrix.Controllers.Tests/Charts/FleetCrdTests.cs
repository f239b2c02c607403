using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>The RayClusterFleet and RayClusterReplicaSet CRDs against their C# types and constants.</summary>
public sealed class FleetCrdTests
{
    private static YamlMappingNode Crd(string plural)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(ChartFixture.PathOf("charts", "aibrix", "crds", $"{RayClusterFleet.Group}_{plural}.yaml"))));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlSequenceNode seq ? seq[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : ((YamlMappingNode)node)[new YamlScalarNode(key)];
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static YamlMappingNode Schema(string plural) => (YamlMappingNode)At(Crd(plural), "spec", "versions", "0", "schema", "openAPIV3Schema");

    private static string[] Keys(YamlNode schema, params string[] path) =>
        ((YamlMappingNode)At(schema, [.. path, "properties"])).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order(StringComparer.Ordinal).ToArray();

    private static string[] JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).Order(StringComparer.Ordinal).ToArray();

    private static string[] Enum(YamlNode schema, params string[] path) =>
        ((YamlSequenceNode)At(schema, [.. path, "enum"])).Select(n => ((YamlScalarNode)n).Value!).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData(RayClusterFleet.Plural, RayClusterFleet.KindName)]
    [InlineData(RayClusterReplicaSet.Plural, RayClusterReplicaSet.KindName)]
    public void Crd_NamesGroupVersion_MatchTheCSharpTypes(string plural, string kind)
    {
        var crd = Crd(plural);

        Assert.Equal($"{plural}.{RayClusterFleet.Group}", Scalar(crd, "metadata", "name"));
        Assert.Equal(RayClusterFleet.Group, Scalar(crd, "spec", "group"));
        Assert.Equal(kind, Scalar(crd, "spec", "names", "kind"));
        Assert.Equal(kind + "List", Scalar(crd, "spec", "names", "listKind"));
        Assert.Equal(RayClusterFleet.Version, Scalar(crd, "spec", "versions", "0", "name"));
    }

    [Fact]
    public void Crd_EveryObjectsFields_AreExactlyTheCSharpProperties()
    {
        var fleet = Schema(RayClusterFleet.Plural);
        var set = Schema(RayClusterReplicaSet.Plural);

        Assert.Equal(JsonNames(typeof(RayClusterFleetSpec)), Keys(fleet, "properties", "spec"));
        Assert.Equal(JsonNames(typeof(RayClusterFleetStatus)), Keys(fleet, "properties", "status"));
        Assert.Equal(JsonNames(typeof(FleetStrategy)), Keys(fleet, "properties", "spec", "properties", "strategy"));
        Assert.Equal(JsonNames(typeof(FleetRollingUpdate)), Keys(fleet, "properties", "spec", "properties", "strategy", "properties", "rollingUpdate"));
        Assert.Equal(JsonNames(typeof(RayClusterTemplate)), Keys(fleet, "properties", "spec", "properties", "template"));
        Assert.Equal(JsonNames(typeof(FleetCondition)), Keys(fleet, "properties", "status", "properties", "conditions", "items"));
        Assert.Equal(JsonNames(typeof(RayClusterReplicaSetSpec)), Keys(set, "properties", "spec"));
        Assert.Equal(JsonNames(typeof(RayClusterReplicaSetStatus)), Keys(set, "properties", "status"));
        Assert.Equal(JsonNames(typeof(FleetCondition)), Keys(set, "properties", "status", "properties", "conditions", "items"));
    }

    [Theory]
    [InlineData(RayClusterFleet.Plural)]
    [InlineData(RayClusterReplicaSet.Plural)]
    public void Crd_ScaleSubresource_ReadsReplicasAndTheHeadPodSelector(string plural)
    {
        var scale = At(Crd(plural), "spec", "versions", "0", "subresources", "scale");

        Assert.Equal(".spec.replicas", Scalar(scale, "specReplicasPath"));
        Assert.Equal(".status.replicas", Scalar(scale, "statusReplicasPath"));
        Assert.Equal(".status.selector", Scalar(scale, "labelSelectorPath"));
        Assert.Equal("string", Scalar(Schema(plural), "properties", "status", "properties", "selector", "type"));
    }

    [Theory]
    [InlineData(RayClusterFleet.Plural)]
    [InlineData(RayClusterReplicaSet.Plural)]
    public void Crd_PrinterColumns_ReadDeclaredFields(string plural)
    {
        var columns = ((YamlSequenceNode)At(Crd(plural), "spec", "versions", "0", "additionalPrinterColumns")).Select(c => (Scalar(c, "name"), Scalar(c, "jsonPath"))).ToList();

        Assert.Contains(("Desired", ".spec.replicas"), columns);
        Assert.Contains(("Available", ".status.availableReplicas"), columns);
        foreach (var (_, jsonPath) in columns.Where(c => !c.Item2.StartsWith(".metadata", StringComparison.Ordinal)))
        {
            Assert.NotNull(At(Schema(plural), jsonPath.TrimStart('.').Split('.').SelectMany(s => new[] { "properties", s }).ToArray()));
        }
    }

    [Fact]
    public void Crd_EnumsAndDefaults_MatchTheConstantsAndADeployment()
    {
        var spec = At(Schema(RayClusterFleet.Plural), "properties", "spec", "properties");

        Assert.Equal(FleetStrategyTypes.All.Order(StringComparer.Ordinal), Enum(spec, "strategy", "properties", "type"));
        Assert.Equal(FleetConditions.All.Order(StringComparer.Ordinal), Enum(Schema(RayClusterFleet.Plural), "properties", "status", "properties", "conditions", "items", "properties", "type"));
        Assert.Equal(("1", "10", "600"), (Scalar(spec, "replicas", "default"), Scalar(spec, "revisionHistoryLimit", "default"), Scalar(spec, "progressDeadlineSeconds", "default")));
        Assert.Equal("true", Scalar(spec, "strategy", "properties", "rollingUpdate", "properties", "maxSurge", "x-kubernetes-int-or-string"));
        Assert.Equal("true", Scalar(spec, "template", "properties", "spec", "x-kubernetes-preserve-unknown-fields"));
    }

    [Theory]
    [InlineData("maxSurge: 1", "maxSurge: 1", null)]
    [InlineData("maxSurge: 1", "maxSurge: \"50%\"", null)]
    [InlineData("type: RollingUpdate", "type: BlueGreen", "not one of the enum")]
    [InlineData("replicas: 2", "replicas: -1", "below minimum 0")]
    [InlineData("paused: false", "pausd: false", "unknown field")]
    public void Crd_Schema_AcceptsIntOrStringAndRejectsWhatTheApiServerWould(string good, string bad, string? why)
    {
        const string Fleet = """
            apiVersion: orchestration.aibrix.ai/v1alpha1
            kind: RayClusterFleet
            metadata:
              name: llama
            spec:
              replicas: 2
              paused: false
              selector:
                matchLabels:
                  app: llama
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app: llama
                spec:
                  rayVersion: "2.40.0"
                  headGroupSpec:
                    rayStartParams: {}
            """;
        var stream = new YamlStream();
        stream.Load(new StringReader(Fleet.Replace(good, bad, StringComparison.Ordinal)));

        var errors = CrdSchema.Validate(stream.Documents.Single().RootNode, Schema(RayClusterFleet.Plural));

        if (why is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Contains(why, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Fleet_RoundTripsThroughKubernetesJson_WithIntOrStringAndAnOpenTemplate()
    {
        var fleet = new RayClusterFleet
        {
            Metadata = new V1ObjectMeta { Name = "llama", NamespaceProperty = "default" },
            Spec = new RayClusterFleetSpec
            {
                Replicas = 4,
                Strategy = new FleetStrategy { Type = FleetStrategyTypes.RollingUpdate, RollingUpdate = new FleetRollingUpdate { MaxSurge = "25%", MaxUnavailable = 1 } },
                Template = new RayClusterTemplate { Spec = new JsonObject { ["rayVersion"] = "2.40.0", ["workerGroupSpecs"] = new JsonArray(new JsonObject { ["replicas"] = 1 }) } },
            },
            Status = new RayClusterFleetStatus { Replicas = 4, Conditions = [new FleetCondition { Type = FleetConditions.Available, Status = "True" }] },
        };

        var back = KubernetesJson.Deserialize<RayClusterFleet>(KubernetesJson.Serialize(fleet));

        Assert.Equal("25%", back.Spec.Strategy!.RollingUpdate!.MaxSurge!.Value);
        Assert.Equal("1", back.Spec.Strategy.RollingUpdate.MaxUnavailable!.Value);
        Assert.Equal(1, back.Spec.Template.Spec!["workerGroupSpecs"]![0]!["replicas"]!.GetValue<int>());
        Assert.Equal(FleetConditions.Available, Assert.Single(back.Status!.Conditions!).Type);
    }

    /// <summary>The documents of docs/examples/fleet-vllm-two-node.yaml.</summary>
    private static List<YamlNode> ExampleDocuments()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(ChartFixture.PathOf("docs", "examples", "fleet-vllm-two-node.yaml"))));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    [Fact]
    public void TwoNodeExample_MeetsBothSchemas_AndTheAutoscalerTargetsTheFleet()
    {
        var docs = ExampleDocuments();
        var paStream = new YamlStream();
        paStream.Load(new StringReader(File.ReadAllText(ChartFixture.PathOf("charts", "aibrix", "crds", "autoscaling.aibrix.ai_podautoscalers.yaml"))));
        var paSchema = (YamlMappingNode)At(paStream.Documents.Single().RootNode, "spec", "versions", "0", "schema", "openAPIV3Schema");

        Assert.Equal(2, docs.Count);
        Assert.Empty(CrdSchema.Validate(docs[0], Schema(RayClusterFleet.Plural)));
        Assert.Empty(CrdSchema.Validate(docs[1], paSchema));
        var text = File.ReadAllText(ChartFixture.PathOf("docs", "examples", "fleet-vllm-two-node.yaml")).Split("\n---\n");
        var fleet = KubernetesJson.Deserialize<RayClusterFleet>(JsonOf(text[0])); // its template spec is JSON: read it as kubectl sends it
        var pa = KubernetesYaml.Deserialize<PodAutoscaler>(text[1]);
        Assert.Equal((RayClusterFleet.KindName, fleet.Metadata.Name, $"{RayClusterFleet.Group}/{RayClusterFleet.Version}"),
            (pa.Spec.ScaleTargetRef.Kind, pa.Spec.ScaleTargetRef.Name, pa.Spec.ScaleTargetRef.ApiVersion));
        string args = fleet.Spec.Template.Spec!["headGroupSpec"]!["template"]!["spec"]!["containers"]![0]!["args"]![0]!.GetValue<string>();
        Assert.Contains("--tensor-parallel-size 8 --pipeline-parallel-size 2", args, StringComparison.Ordinal);
        Assert.Equal(1, fleet.Spec.Template.Spec["workerGroupSpecs"]![0]!["replicas"]!.GetValue<int>()); // two nodes: the head and one worker
    }

    private static string JsonOf(string yaml)
    {
        var value = new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(value);
    }
}
