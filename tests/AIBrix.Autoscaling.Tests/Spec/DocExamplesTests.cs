using System.Text.RegularExpressions;
using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Spec;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Autoscaling.Tests.Spec;

/// <summary>Every PodAutoscaler in docs/autoscaling.md parses without an error or warning and can decide.</summary>
public sealed class DocExamplesTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static TheoryData<string> Examples() => new(
        Regex.Matches(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "autoscaling.md")), "```yaml\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .Where(y => y.Contains("kind: PodAutoscaler", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Parse_DocExample_NoErrorNoWarningAndDecides(string yaml)
    {
        var (spec, annotations) = Read(yaml);

        var result = AutoscalerSpecParser.Parse(spec, annotations);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var autoscaler = new Autoscaler(result.Settings!, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Scenario.Epoch));
        for (int i = 0; i < result.Settings!.Metrics.Count; i++)
        {
            Assert.Equal(ObservationStatus.Recorded, autoscaler.Observe(i, MetricObservation.FromTotal(1, 2)));
        }

        Assert.True(autoscaler.Decide(new Decisions.ScaleState(2, 2)).HasRecommendation);
    }

    private static (AutoscalerSpec Spec, Dictionary<string, string> Annotations) Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var meta = (YamlMappingNode)root["metadata"];
        var annotations = meta.Children.TryGetValue(new YamlScalarNode("annotations"), out var a)
            ? ((YamlMappingNode)a).Children.ToDictionary(kv => Text(kv.Key)!, kv => Text(kv.Value)!)
            : [];
        var s = (YamlMappingNode)root["spec"];
        var spec = new AutoscalerSpec
        {
            ScalingStrategy = Text(s, "scalingStrategy"),
            MinReplicas = Int(s, "minReplicas"),
            MaxReplicas = Int(s, "maxReplicas") ?? 0,
            ObserveWindowSeconds = Int(s, "observeWindowSeconds"),
            PanicWindowSeconds = Int(s, "panicWindowSeconds"),
            MetricsSources = Items(s, "metricsSources").Select(m => new MetricSourceSpec(Text(m, "metricSourceType"), Text(m, "targetMetric"), Text(m, "targetValue"))).ToList(),
            Schedules = Items(s, "schedules").Select(m => new ScheduleSpec
            {
                Name = Text(m, "name"),
                Timezone = Text(m, "timezone"),
                DaysOfWeek = m.Children.TryGetValue(new YamlScalarNode("daysOfWeek"), out var d) ? ((YamlSequenceNode)d).Select(n => Text(n)!).ToList() : null,
                StartTime = Text(m, "startTime"),
                EndTime = Text(m, "endTime"),
                MinReplicas = Int(m, "minReplicas"),
                MaxReplicas = Int(m, "maxReplicas"),
            }).ToList(),
        };
        return (spec, annotations);
    }

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var list) ? ((YamlSequenceNode)list).Cast<YamlMappingNode>() : [];

    private static string? Text(YamlNode node) => ((YamlScalarNode)node).Value;

    private static string? Text(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? Text(v) : null;

    private static int? Int(YamlMappingNode node, string key) => Text(node, key) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null;
}
