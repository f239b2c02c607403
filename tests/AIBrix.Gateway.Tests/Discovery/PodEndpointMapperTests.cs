using AIBrix.EngineMetrics;
using AIBrix.Gateway.Discovery;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Gateway.Tests.Discovery;

public sealed class PodEndpointMapperTests
{
    private static V1Pod Pod(string name, Dictionary<string, string> labels, string? ip = "10.0.0.1", string phase = "Running", bool ready = true, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "ns", Labels = labels,
            DeletionTimestamp = deleting ? new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc) : null,
        },
        Status = new V1PodStatus
        {
            Phase = phase, PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static Dictionary<string, string> Labels(params (string K, string V)[] extra)
    {
        var labels = new Dictionary<string, string> { [ModelLabels.Name] = "llama" };
        foreach (var (k, v) in extra)
        {
            labels[k] = v;
        }

        return labels;
    }

    [Fact]
    public void Discovery_Map_KvEventAnnotationsJoinTheLabelsALabelWinning()
    {
        var pod = Pod("p1", Labels(("kv-events.aibrix.ai/port", "6000")));
        pod.Metadata.Annotations = new Dictionary<string, string>
        {
            ["kv-events.aibrix.ai/port"] = "7000",
            ["kv-events.aibrix.ai/replay-port"] = "7001",
            ["unrelated.example.com/note"] = "x",
        };

        var spec = Assert.Single(PodEndpointMapper.Map([pod], []));

        Assert.Equal("6000", spec.Labels["kv-events.aibrix.ai/port"]);
        Assert.Equal("7001", spec.Labels["kv-events.aibrix.ai/replay-port"]);
        Assert.False(spec.Labels.ContainsKey("unrelated.example.com/note"));
    }

    [Fact]
    public void Discovery_Map_ReadsPortMetricPortAndEngineLabels()
    {
        var pod = Pod("p1", Labels((ModelLabels.Port, "9000"), (ModelLabels.MetricPort, "9100"), (ModelLabels.Engine, "sglang")));

        var spec = Assert.Single(PodEndpointMapper.Map([pod], []));

        Assert.Equal("ns/p1", spec.Name);
        Assert.Equal("10.0.0.1:9000", spec.Address);
        Assert.Equal("llama", spec.Model);
        Assert.Equal(EngineKind.Sglang, spec.Engine);
        Assert.Equal(9100, spec.MetricsPort);
        Assert.Equal(new Uri("http://10.0.0.1:9100/metrics"), spec.MetricsUri);
    }

    [Fact]
    public void Discovery_Map_RayClusterPods_OnlyTheHeadServes_OtherPodsUnaffected()
    {
        var head = Pod("fleet-abc-head", Labels((RayCluster.NodeTypeLabel, "head"), (FleetLabels.FleetName, "llama")));
        var worker = Pod("fleet-abc-worker-0", Labels((RayCluster.NodeTypeLabel, "worker")), ip: "10.0.0.2");
        var plain = Pod("deploy-xyz", Labels(), ip: "10.0.0.3");

        var specs = PodEndpointMapper.Map([head, worker, plain], []);

        Assert.Equal(["ns/deploy-xyz", "ns/fleet-abc-head"], specs.Select(s => s.Name));
        Assert.Equal("llama", specs.Single(s => s.Name == "ns/fleet-abc-head").Labels[FleetLabels.FleetName]);
    }

    [Fact]
    public void Discovery_Map_DefaultsToPort8000VllmAndServingPortMetrics()
    {
        var spec = Assert.Single(PodEndpointMapper.Map([Pod("p1", Labels((ModelLabels.Port, "not-a-port")))], []));

        Assert.Equal("10.0.0.1:8000", spec.Address);
        Assert.Equal(EngineKind.Vllm, spec.Engine);
        Assert.Null(spec.MetricsPort);
    }

    [Theory]
    [InlineData("Pending", true, "10.0.0.1", false)]
    [InlineData("Running", false, "10.0.0.1", false)]
    [InlineData("Running", true, null, false)]
    [InlineData("Running", true, "10.0.0.1", true)]
    public void Discovery_Map_SkipsPodsThatCannotServe(string phase, bool ready, string? ip, bool deleting)
    {
        Assert.Empty(PodEndpointMapper.Map([Pod("p1", Labels(), ip, phase, ready, deleting)], []));
    }

    [Fact]
    public void Discovery_Map_SkipsPodsWithoutTheModelLabel()
    {
        Assert.Empty(PodEndpointMapper.Map([Pod("p1", new Dictionary<string, string> { ["app"] = "x" })], []));
    }

    [Fact]
    public void Discovery_Map_AdapterInstancesBecomeEndpointAdaptersInTheSameNamespaceOnly()
    {
        ModelAdapter Adapter(string name, string ns, params string[] pods) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Status = new ModelAdapterStatus { Instances = [.. pods] },
        };

        var specs = PodEndpointMapper.Map(
            [Pod("p1", Labels()), Pod("p2", Labels(), ip: "10.0.0.2")],
            [Adapter("lora-b", "ns", "p1"), Adapter("lora-a", "ns", "p1", "p2"), Adapter("lora-x", "other", "p1")]);

        Assert.Equal(["lora-a", "lora-b"], specs.Single(s => s.Name == "ns/p1").Adapters);
        Assert.Equal(["lora-a"], specs.Single(s => s.Name == "ns/p2").Adapters);
    }

    [Fact]
    public void Discovery_Map_Ipv6PodAddressIsBracketed()
    {
        var spec = Assert.Single(PodEndpointMapper.Map([Pod("p1", Labels(), ip: "fd00::5")], []));
        Assert.Equal("[fd00::5]:8000", spec.Address);
    }
}
