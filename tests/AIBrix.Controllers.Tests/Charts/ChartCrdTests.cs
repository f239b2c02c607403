using System.Reflection;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Kubernetes.Crds;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// Every CRD this project defines ships in charts/aibrix/crds, is one an API server accepts as structural, and is
/// reconciled by a controller the chart gives permissions for. The per-CRD field checks are in
/// <see cref="ChartManifestTests"/> and <see cref="PodAutoscalerCrdTests"/>.
/// </summary>
public sealed class ChartCrdTests
{
    /// <summary>
    /// The CRD types in the code: classes with Group, Version, Plural and KindName constants in an <c>aibrix.ai</c> group.
    /// External ones (Gateway API's HTTPRoute, GIE's InferencePool) come with their own projects' CRDs.
    /// </summary>
    private static readonly List<(string Group, string Version, string Plural, string Kind)> CrdTypes = typeof(ModelAdapter).Assembly.GetTypes()
        .Select(t => (t, Const(t, "Group"), Const(t, "Version"), Const(t, "Plural"), Const(t, "KindName")))
        .Where(x => x.Item2?.EndsWith(".aibrix.ai", StringComparison.Ordinal) == true && x.Item3 is not null && x.Item4 is not null && x.Item5 is not null)
        .Select(x => (x.Item2!, x.Item3!, x.Item4!, x.Item5!))
        .ToList();

    public static TheoryData<string> CrdNames() => new(ChartFixture.Chart.Crds().Select(c => c.Text("metadata", "name")));

    [Fact]
    public void EveryCrdTypeInTheCode_ShipsInTheChart()
    {
        var shipped = ChartFixture.Chart.Crds().Select(c => c.Text("metadata", "name")).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(CrdTypes);
        Assert.All(CrdTypes, t => Assert.Contains($"{t.Plural}.{t.Group}", shipped));
        Assert.Equal(CrdTypes.Count, shipped.Count);
    }

    [Theory]
    [MemberData(nameof(CrdNames))]
    public void Crd_IsStructuralServedAndStoredOnceWithStatusSubresource(string name)
    {
        var crd = ChartFixture.Chart.Crds().Single(c => c.Text("metadata", "name") == name);
        var type = CrdTypes.Single(t => $"{t.Plural}.{t.Group}" == name);

        Assert.Equal("apiextensions.k8s.io/v1", crd.Text("apiVersion"));
        Assert.Equal("CustomResourceDefinition", crd.Text("kind"));
        Assert.Equal((type.Group, type.Kind, type.Plural), (crd.Text("spec", "group"), crd.Text("spec", "names", "kind"), crd.Text("spec", "names", "plural")));
        var versions = crd.Items("spec", "versions");
        Assert.Single(versions, v => v.Text("storage") == "true");
        var version = Assert.Single(versions, v => v.Text("name") == type.Version);
        Assert.Equal("true", version.Text("served"));
        Assert.IsType<YamlMappingNode>(version.At("subresources", "status"));
        Assert.Empty(Untyped(version.Map("schema", "openAPIV3Schema"), ""));
    }

    [Theory]
    [MemberData(nameof(CrdNames))]
    public void Crd_IsReconciledByAControllerWithPermissionsOnIt(string name)
    {
        var chart = ChartFixture.Render();
        var crd = ChartFixture.Chart.Crds().Single(c => c.Text("metadata", "name") == name);
        string group = crd.Text("spec", "group"), plural = crd.Text("spec", "names", "plural");

        var rules = chart.OfKind("ClusterRole").SelectMany(r => r.Node.Items("rules"))
            .Where(r => r.Strings("apiGroups").Contains(group)).ToList();

        Assert.Contains(rules, r => r.Strings("resources").Contains(plural) && r.Strings("verbs").Contains("watch"));
        Assert.Contains(rules, r => r.Strings("resources").Contains(plural + "/status") && r.Strings("verbs").Contains("update"));
    }

    /// <summary>Schema nodes an API server would call non-structural: no type, unless they opt out of it.</summary>
    private static List<string> Untyped(YamlMappingNode node, string path)
    {
        var missing = new List<string>();
        bool optedOut = node.Has("x-kubernetes-preserve-unknown-fields") || node.Has("x-kubernetes-int-or-string");
        if (!node.Has("type") && !optedOut)
        {
            missing.Add(path);
        }

        if (node.Find("properties") is YamlMappingNode properties)
        {
            foreach (var (key, value) in properties.Children)
            {
                missing.AddRange(Untyped((YamlMappingNode)value, $"{path}.{((YamlScalarNode)key).Value}"));
            }
        }

        foreach (var child in new[] { "items", "additionalProperties" })
        {
            if (node.Find(child) is YamlMappingNode schema)
            {
                missing.AddRange(Untyped(schema, $"{path}[{child}]"));
            }
        }

        return missing;
    }

    private static string? Const(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f ? f.GetRawConstantValue() as string : null;
}
