using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>The PodAutoscaler CRD against its C# types, its constants and the examples in docs/autoscaling.md.</summary>
public sealed class PodAutoscalerCrdTests
{
    private static readonly string Root = RepoRoot();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static YamlMappingNode Crd()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "charts", "aibrix", "crds", "autoscaling.aibrix.ai_podautoscalers.yaml"))));
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

    private static YamlNode Version() => At(Crd(), "spec", "versions", "0");

    private static YamlMappingNode Schema() => (YamlMappingNode)At(Version(), "schema", "openAPIV3Schema");

    private static string[] Keys(YamlNode schema, params string[] path) =>
        ((YamlMappingNode)At(schema, [.. path, "properties"])).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order(StringComparer.Ordinal).ToArray();

    private static string[] JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).Order(StringComparer.Ordinal).ToArray();

    private static string[] Enum(YamlNode schema, params string[] path) =>
        ((YamlSequenceNode)At(schema, [.. path, "enum"])).Select(n => ((YamlScalarNode)n).Value!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every <c>kind: PodAutoscaler</c> YAML block of docs/autoscaling.md.</summary>
    private static List<string> Examples() =>
        Regex.Matches(File.ReadAllText(Path.Combine(Root, "docs", "autoscaling.md")), "```yaml\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .Where(y => y.Contains("kind: PodAutoscaler", StringComparison.Ordinal))
            .ToList();

    /// <summary><see cref="Examples"/> as theory data.</summary>
    public static TheoryData<string> DocExamples() => new(Examples());

    [Fact]
    public void Crd_NamesGroupAndVersion_MatchTheCSharpType()
    {
        var crd = Crd();
        Assert.Equal($"{PodAutoscaler.Plural}.{PodAutoscaler.Group}", Scalar(crd, "metadata", "name"));
        Assert.Equal(PodAutoscaler.Group, Scalar(crd, "spec", "group"));
        Assert.Equal(PodAutoscaler.KindName, Scalar(crd, "spec", "names", "kind"));
        Assert.Equal(PodAutoscaler.Plural, Scalar(crd, "spec", "names", "plural"));
        Assert.Equal("PodAutoscalerList", Scalar(crd, "spec", "names", "listKind"));
        Assert.Equal("Namespaced", Scalar(crd, "spec", "scope"));
        Assert.Equal(PodAutoscaler.Version, Scalar(Version(), "name"));
    }

    [Fact]
    public void Crd_EveryObjectsFields_AreExactlyTheCSharpProperties()
    {
        var root = Schema();
        Assert.Equal(JsonNames(typeof(PodAutoscalerSpec)), Keys(root, "properties", "spec"));
        Assert.Equal(JsonNames(typeof(PodAutoscalerStatus)), Keys(root, "properties", "status"));
        Assert.Equal(JsonNames(typeof(V1ObjectReference)), Keys(root, "properties", "spec", "properties", "scaleTargetRef"));
        Assert.Equal(JsonNames(typeof(PodAutoscalerMetricSource)), Keys(root, "properties", "spec", "properties", "metricsSources", "items"));
        Assert.Equal(JsonNames(typeof(PodAutoscalerSchedule)), Keys(root, "properties", "spec", "properties", "schedules", "items"));
        Assert.Equal(JsonNames(typeof(PodAutoscalerScalingDecision)), Keys(root, "properties", "status", "properties", "scalingHistory", "items"));
        Assert.Equal(JsonNames(typeof(PodAutoscalerScheduledBounds)), Keys(root, "properties", "status", "properties", "scheduledBounds"));
    }

    [Fact]
    public void Crd_Structural_EveryNodeDeclaresItsType()
    {
        var missing = new List<string>();
        void Walk(YamlMappingNode node, string path)
        {
            if (!node.Children.ContainsKey(new YamlScalarNode("type")))
            {
                missing.Add(path);
            }

            if (node.Children.TryGetValue(new YamlScalarNode("properties"), out var props))
            {
                foreach (var (k, v) in ((YamlMappingNode)props).Children)
                {
                    Walk((YamlMappingNode)v, path + "." + ((YamlScalarNode)k).Value);
                }
            }

            if (node.Children.TryGetValue(new YamlScalarNode("items"), out var items))
            {
                Walk((YamlMappingNode)items, path + "[]");
            }
        }

        Walk(Schema(), "");
        Assert.Empty(missing);
    }

    [Fact]
    public void Crd_StatusSubresourceAndPrinterColumns_TargetStrategyBoundsDesiredActualAge()
    {
        var version = Version();
        Assert.IsType<YamlMappingNode>(At(version, "subresources", "status"));
        var columns = ((YamlSequenceNode)At(version, "additionalPrinterColumns"))
            .Where(c => !((YamlMappingNode)c).Children.ContainsKey(new YamlScalarNode("priority")))
            .Select(c => (Scalar(c, "name"), Scalar(c, "jsonPath")))
            .ToList();

        Assert.Equal(
            [
                ("Target", ".spec.scaleTargetRef.name"), ("Strategy", ".spec.scalingStrategy"), ("Min", ".spec.minReplicas"),
                ("Max", ".spec.maxReplicas"), ("Desired", ".status.desiredScale"), ("Actual", ".status.actualScale"),
                ("Age", ".metadata.creationTimestamp"),
            ],
            columns);
        foreach (var (_, jsonPath) in columns.Where(c => !c.Item2.StartsWith(".metadata", StringComparison.Ordinal)))
        {
            var segments = jsonPath.TrimStart('.').Split('.');
            Assert.NotNull(At(Schema(), segments.SelectMany(s => new[] { "properties", s }).ToArray())); // the column reads a declared field
        }
    }

    [Fact]
    public void Crd_Enums_MatchTheConstants()
    {
        var spec = At(Schema(), "properties", "spec");
        Assert.Equal(PodAutoscalerStrategies.All.Order(StringComparer.Ordinal), Enum(spec, "properties", "scalingStrategy"));
        Assert.Equal(PodAutoscalerMetricSourceTypes.All.Order(StringComparer.Ordinal), Enum(spec, "properties", "metricsSources", "items", "properties", "metricSourceType"));
        Assert.Equal(
            PodAutoscalerConditions.All.Order(StringComparer.Ordinal),
            Enum(Schema(), "properties", "status", "properties", "conditions", "items", "properties", "type"));
        Assert.Equal(PodAutoscaler.HistoryLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(Schema(), "properties", "status", "properties", "scalingHistory", "maxItems"));
    }

    [Theory]
    [InlineData("targetValue: \"0.5\"", "targetValue: half", "does not match")]
    [InlineData("targetValue: \"0.5\"", "targetValue: 0.5", "not a string")]
    [InlineData("port: \"8000\"", "port: 8000", "not a string")]
    [InlineData("scalingStrategy: KPA", "scalingStrategy: VPA", "not one of the enum")]
    [InlineData("maxReplicas: 8", "maxReplicas: 0", "below minimum 1")]
    [InlineData("targetMetric: gpu_cache_usage_perc", "targetMetrik: gpu_cache_usage_perc", "unknown field")]
    public void Crd_Schema_RejectsWhatTheApiServerWould(string good, string bad, string why)
    {
        var example = Examples().First(e => e.Contains(good, StringComparison.Ordinal));

        var errors = CrdSchema.Validate(Load(example.Replace(good, bad, StringComparison.Ordinal)), Schema());

        Assert.Contains(errors, e => e.Contains(why, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DocExamples))]
    public void DocExample_MeetsTheSchemaAndReadsIntoTheCSharpTypes(string yaml)
    {
        Assert.Empty(CrdSchema.Validate(Load(yaml), Schema()));

        var pa = KubernetesYaml.Deserialize<PodAutoscaler>(yaml);

        Assert.Equal(PodAutoscaler.KindName, pa.Kind);
        Assert.Contains(pa.Spec.ScalingStrategy, PodAutoscalerStrategies.All);
        Assert.NotEmpty(pa.Spec.MetricsSources!);
        Assert.All(pa.Spec.MetricsSources!, m => Assert.False(string.IsNullOrEmpty(m.TargetValue)));
        Assert.False(string.IsNullOrEmpty(pa.Spec.ScaleTargetRef.Name));
    }

    [Fact]
    public void DocExamples_OnePerStrategy()
    {
        var strategies = Examples().Select(y => KubernetesYaml.Deserialize<PodAutoscaler>(y).Spec.ScalingStrategy).ToHashSet();

        Assert.Equal(PodAutoscalerStrategies.All.ToHashSet(), strategies);
    }

    [Fact]
    public void Status_RoundTripsThroughKubernetesJson()
    {
        var pa = new PodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "default" },
            Status = new PodAutoscalerStatus
            {
                DesiredScale = 3,
                ActualScale = 2,
                ScalingHistory = [new PodAutoscalerScalingDecision { PreviousScale = 2, NewScale = 3, Reason = "KPA stable", Success = true, Timestamp = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc) }],
                ScheduledBounds = new PodAutoscalerScheduledBounds { ActiveSchedule = "day", EffectiveMinReplicas = 2, EffectiveMaxReplicas = 8 },
            },
        };

        var back = KubernetesJson.Deserialize<PodAutoscaler>(KubernetesJson.Serialize(pa));

        Assert.Equal((3, 2, "day"), (back.Status!.DesiredScale, back.Status.ActualScale, back.Status.ScheduledBounds!.ActiveSchedule));
        Assert.Equal("KPA stable", Assert.Single(back.Status.ScalingHistory!).Reason);
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
