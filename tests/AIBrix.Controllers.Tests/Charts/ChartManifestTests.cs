using System.Reflection;
using System.Text.Json.Serialization;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Kubernetes.Crds;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// The ModelAdapter CRD against the C# types it must agree with. The chart's templates (names, RBAC, flags) are
/// rendered and checked by <see cref="ChartRenderTests"/>, <see cref="ChartRbacTests"/> and <see cref="ChartGatewayTests"/>.
/// </summary>
public sealed class ChartManifestTests
{
    private static readonly string Chart = Path.Combine(RepoRoot(), "charts", "aibrix");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static List<YamlMappingNode> Documents(string path)
    {
        string text = File.ReadAllText(path);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
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

    private static HashSet<string> JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).ToHashSet();

    private static YamlMappingNode Crd() => Documents(Path.Combine(Chart, "crds", "model.aibrix.ai_modeladapters.yaml")).Single();

    [Fact]
    public void Chart_ModelAdapterCrd_NamesGroupAndVersionMatchTheCSharpType()
    {
        var crd = Crd();
        Assert.Equal($"{ModelAdapter.Plural}.{ModelAdapter.Group}", Scalar(crd, "metadata", "name"));
        Assert.Equal(ModelAdapter.Group, Scalar(crd, "spec", "group"));
        Assert.Equal(ModelAdapter.KindName, Scalar(crd, "spec", "names", "kind"));
        Assert.Equal(ModelAdapter.Plural, Scalar(crd, "spec", "names", "plural"));
        Assert.Equal("Namespaced", Scalar(crd, "spec", "scope"));
        Assert.Equal(ModelAdapter.Version, Scalar(crd, "spec", "versions", "0", "name"));
    }

    [Fact]
    public void Chart_ModelAdapterCrd_SpecAndStatusFieldsAreExactlyTheCSharpProperties()
    {
        var schema = At(Crd(), "spec", "versions", "0", "schema", "openAPIV3Schema", "properties");
        var spec = ((YamlMappingNode)At(schema, "spec", "properties")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var status = ((YamlMappingNode)At(schema, "status", "properties")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

        Assert.Equal(JsonNames(typeof(ModelAdapterSpec)).Order(), spec.Order());
        Assert.Equal(JsonNames(typeof(ModelAdapterStatus)).Order(), status.Order());
    }

    [Fact]
    public void Chart_ModelAdapterCrd_StructuralWithStatusSubresourceAndPrinterColumns()
    {
        var version = At(Crd(), "spec", "versions", "0");
        Assert.IsType<YamlMappingNode>(At(version, "subresources", "status"));
        var columns = ((YamlSequenceNode)At(version, "additionalPrinterColumns")).Select(c => (Scalar(c, "name"), Scalar(c, "jsonPath"))).ToList();
        Assert.Contains(("Phase", ".status.phase"), columns);
        Assert.Contains(("Ready", ".status.readyReplicas"), columns);

        // Structural: every property node declares its type.
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

        Walk((YamlMappingNode)At(version, "schema", "openAPIV3Schema"), "");
        Assert.Empty(missing);
    }

    [Fact]
    public void Chart_ModelAdapterCrd_EnumsMatchPhasesAndPlacementPolicies()
    {
        var schema = At(Crd(), "spec", "versions", "0", "schema", "openAPIV3Schema", "properties");
        var schedulers = ((YamlSequenceNode)At(schema, "spec", "properties", "schedulerName", "enum")).Select(n => ((YamlScalarNode)n).Value!).ToHashSet();
        var phases = ((YamlSequenceNode)At(schema, "status", "properties", "phase", "enum")).Select(n => ((YamlScalarNode)n).Value!).ToHashSet();

        Assert.Equal(PlacementPolicy.Names.Order(StringComparer.Ordinal), schedulers.Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { ModelAdapterPhase.Pending, ModelAdapterPhase.Scheduled, ModelAdapterPhase.Running, ModelAdapterPhase.Failed }.Order(),
            phases.Order());
    }
}
