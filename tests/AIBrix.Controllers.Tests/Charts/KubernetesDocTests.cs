using System.Text.RegularExpressions;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Kubernetes.Crds;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// docs/kubernetes.md is a walkthrough people paste from: its values files render, its model Deployments carry labels
/// discovery reads (valid label values, the served name, the port), and every object its commands name exists.
/// </summary>
public sealed partial class KubernetesDocTests
{
    private static readonly string Doc = File.ReadAllText(ChartFixture.PathOf("docs", "kubernetes.md"));

    private static readonly List<string> YamlBlocks = Regex.Matches(Doc, "```yaml\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The walkthrough's values files, in order; each later one is laid over the first, as <c>-f a -f b</c>.</summary>
    private static readonly List<string> ValuesFiles = YamlBlocks.Where(b => b.StartsWith("# aibrix-values.yaml", StringComparison.Ordinal)).ToList();

    private static RenderedChart Walkthrough(params string[] files) => ChartFixture.Chart.Render(new ReleaseOptions { Values = files });

    [Fact]
    public void ValuesFiles_RenderAsWritten_AndLayered()
    {
        Assert.Equal(2, ValuesFiles.Count);

        var trial = Walkthrough(ValuesFiles[0]);
        var production = Walkthrough(ValuesFiles[0], ValuesFiles[1]);

        Assert.Contains(trial.OfKind("Deployment"), d => d.Name == "aibrix-redis");
        Assert.DoesNotContain(production.OfKind("Deployment"), d => d.Name == "aibrix-redis");
        Assert.Contains("redis: redis.cache.svc:6379", production.Get("ConfigMap", "aibrix-gateway-config").Node.Text("data", "gateway.yaml"), StringComparison.Ordinal);
        Assert.Single(trial.OfKind("SecurityPolicy"));
    }

    [Fact]
    public void ModelDeployments_CarryTheLabelsDiscoveryReads_InANamespaceTheGatewayWatches()
    {
        var watched = Walkthrough(ValuesFiles[0]).Get("Deployment", "aibrix-gateway-plugins").Node.At("spec", "template", "spec", "containers", 0).Strings("args");
        string namespaces = watched[watched.ToList().IndexOf("--namespaces") + 1];
        var deployments = Documents().Where(d => d.Text("kind") == "Deployment").ToList();

        Assert.Equal(2, deployments.Count);
        foreach (var d in deployments)
        {
            var labels = d.StringMap("spec", "template", "metadata", "labels");
            var container = d.At("spec", "template", "spec", "containers", 0);
            var args = container.Strings("args").ToList();
            string served = args[args.IndexOf(args.Contains("--served-model-name") ? "--served-model-name" : "--model") + 1];

            Assert.Equal(served, labels[ModelLabels.Name]);
            Assert.Contains(int.Parse(labels[ModelLabels.Port], System.Globalization.CultureInfo.InvariantCulture), container.Items("ports").Select(p => p.Int("containerPort")));
            Assert.True(container.Has("readinessProbe"), $"{d.Text("metadata", "name")}: discovery waits for Ready");
            Assert.Contains(d.Text("metadata", "namespace"), namespaces.Split(','));
            Assert.All(d.StringMap("spec", "selector", "matchLabels"), kv => Assert.Equal(kv.Value, labels.GetValueOrDefault(kv.Key)));
        }
    }

    [Fact]
    public void EveryModelLabelInThePage_IsAValidLabelValue()
    {
        var values = Regex.Matches(string.Join("\n", YamlBlocks), @"model\.aibrix\.ai/[a-z-]+:\s*""?([^""\s}]+)""?").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Matches(LabelValue(), v));
        var adapter = Documents().Single(d => d.Text("kind") == "ModelAdapter");
        Assert.Equal(adapter.Text("spec", "baseModel"), adapter.Text("spec", "podSelector", "matchLabels", ModelLabels.Name));
    }

    [Fact]
    public void ObjectsTheCommandsName_AreTheOnesTheChartCreates()
    {
        var chart = Walkthrough(ValuesFiles[0]);
        var named = ObjectRef().Matches(Doc).Select(m => (Kind: m.Groups["kind"].Value, Name: m.Groups["name"].Value)).Distinct().ToList();

        Assert.Contains(("svc", "aibrix-gateway-plugins"), named);
        foreach (var (kind, name) in named)
        {
            string k = kind switch { "svc" => "Service", "deploy" => "Deployment", "gateway" => "Gateway", "secret" => "Secret", _ => kind };
            chart.Get(k, name);
        }

        foreach (Match forward in PortForward().Matches(Doc).Where(m => !m.Groups["name"].Value.StartsWith('$')))
        {
            var service = chart.Get("Service", forward.Groups["name"].Value);
            Assert.Contains(int.Parse(forward.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), service.Node.Items("spec", "ports").Select(p => p.Int("port")));
        }

        Assert.Contains("helm install aibrix charts/aibrix -n aibrix-system", Doc, StringComparison.Ordinal);
    }

    private static IEnumerable<YamlMappingNode> Documents() =>
        YamlBlocks.Where(b => b.Contains("kind:", StringComparison.Ordinal)).Select(b =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(b));
            return (YamlMappingNode)stream.Documents[0].RootNode;
        });

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"-n aibrix-system \S.*?\b(?<kind>svc|deploy|gateway)/(?<name>[a-z0-9][-a-z0-9]*)|get (?<kind>secret) (?<name>[a-z0-9][-a-z0-9]*)")]
    private static partial Regex ObjectRef();

    [GeneratedRegex(@"port-forward svc/(?<name>\S+) \d+:(?<port>\d+)")]
    private static partial Regex PortForward();
}
