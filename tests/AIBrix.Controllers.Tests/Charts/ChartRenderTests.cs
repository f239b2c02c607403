using System.Text.RegularExpressions;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Gateway.Core;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// charts/aibrix rendered for its defaults and for each mode, every object parsed and checked the way the API server
/// and the controllers in it would meet it: names, namespaces, selectors against pod labels, ports, security.
/// </summary>
public sealed partial class ChartRenderTests
{
    /// <summary>The value sets a user would install with: defaults, then one per mode and option.</summary>
    public static TheoryData<string, string> Modes() => new()
    {
        { "defaults", "" },
        { "standalone", "gateway: {mode: standalone, replicas: 1}\nredis: {bundled: {enabled: false}}" },
        { "envoy-gateway-apikey", "envoyGateway: {enabled: true}\ngateway: {config: {auth: {mode: apikey}}}" },
        { "external-redis", "redis: {address: redis.cache:6379, bundled: {enabled: false}}\ngateway: {replicas: 4}" },
        { "in-memory-single", "gateway: {replicas: 1}\nredis: {bundled: {enabled: false}}" },
        { "scoped-namespaces", "gateway: {namespaces: [llm, team-b]}\ncontrollers: {namespaces: [llm]}" },
        { "no-controllers", "controllers: {enabled: false}" },
        { "persistent-redis", "redis: {bundled: {persistence: {enabled: true, storageClassName: fast}}}" },
        { "monitoring-ha", "gateway: {serviceMonitor: {enabled: true}}\ncontrollers: {replicas: 2, serviceMonitor: {enabled: true}}" },
        { "existing-secret", "gateway: {adminToken: {existingSecret: ops-token, existingSecretKey: admin}}" },
    };

    private static readonly HashSet<string> ClusterScoped = ["ClusterRole", "ClusterRoleBinding", "GatewayClass"];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Render_EveryObject_HasApiVersionKindDns1123NameAndReleaseNamespace(string mode, string values)
    {
        var chart = ChartFixture.Render(values, release: "prod", ns: "llm-serving");

        Assert.NotEmpty(chart.Manifests);
        foreach (var m in chart.Manifests)
        {
            Assert.False(string.IsNullOrEmpty(m.Node.Text("apiVersion")), $"{mode}: {m.File} has no apiVersion");
            Assert.Matches(Dns1123Subdomain(), m.Name);
            if (ClusterScoped.Contains(m.Kind))
            {
                Assert.False(m.Node.Has("metadata", "namespace"), $"{m.Kind}/{m.Name} is cluster-scoped");
            }
            else if (m.Kind != "RoleBinding")
            {
                Assert.Equal("llm-serving", m.Node.Text("metadata", "namespace"));
            }

            if (m.Kind is "Service" or "Deployment")
            {
                Assert.True(m.Name.Length <= 63, $"{m.Kind}/{m.Name} is longer than a DNS label");
            }

            Assert.Equal("prod", m.Node.Text("metadata", "labels", "app.kubernetes.io/instance"));
        }

        Assert.Equal(chart.Manifests.Count, chart.Manifests.Select(m => (m.Kind, m.Node.Find("metadata", "namespace")?.ToString(), m.Name)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Render_Selectors_MatchTheirPodsAndServicePortsNameAContainerPort(string mode, string values)
    {
        var chart = ChartFixture.Render(values);
        var deployments = chart.OfKind("Deployment").ToList();

        foreach (var d in deployments)
        {
            var selector = d.Node.StringMap("spec", "selector", "matchLabels");
            var podLabels = d.Node.StringMap("spec", "template", "metadata", "labels");
            Assert.True(selector.Count > 0, $"{mode}: {d.Name} selects nothing");
            Assert.All(selector, kv => Assert.Equal(kv.Value, podLabels.GetValueOrDefault(kv.Key)));
        }

        foreach (var service in chart.OfKind("Service"))
        {
            var selector = service.Node.StringMap("spec", "selector");
            var target = Assert.Single(deployments, d => Selects(selector, d.Node.StringMap("spec", "template", "metadata", "labels")));
            var portNames = target.Node.Items("spec", "template", "spec", "containers").SelectMany(c => c.Items("ports")).Select(p => p.Text("name")).ToHashSet();
            Assert.All(service.Node.Items("spec", "ports"), p => Assert.Contains(p.Text("targetPort"), portNames));
        }

        foreach (var m in chart.OfKind("PodDisruptionBudget").Concat(chart.OfKind("NetworkPolicy")))
        {
            var selector = m.Node.StringMap("spec", m.Kind == "NetworkPolicy" ? "podSelector" : "selector", "matchLabels");
            Assert.Single(deployments, d => Selects(selector, d.Node.StringMap("spec", "template", "metadata", "labels")));
        }

        foreach (var monitor in chart.OfKind("ServiceMonitor"))
        {
            var service = Assert.Single(chart.OfKind("Service"), s => Selects(monitor.Node.StringMap("spec", "selector", "matchLabels"), s.Node.StringMap("metadata", "labels")));
            Assert.Contains(monitor.Node.Text("spec", "endpoints", 0, "port"), service.Node.Items("spec", "ports").Select(p => p.Text("name")));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Render_EveryContainer_NonRootReadOnlyNoCapabilitiesWithAWritableTmpOrData(string mode, string values)
    {
        foreach (var d in ChartFixture.Render(values).OfKind("Deployment"))
        {
            var pod = d.Node.At("spec", "template", "spec");
            Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
            Assert.NotEqual("0", pod.Text("securityContext", "runAsUser"));
            Assert.Equal("RuntimeDefault", pod.Text("securityContext", "seccompProfile", "type"));
            foreach (var c in pod.Items("containers"))
            {
                string where = $"{mode}: {d.Name}/{c.Text("name")}";
                Assert.True(c.Text("securityContext", "readOnlyRootFilesystem") == "true", where);
                Assert.True(c.Text("securityContext", "allowPrivilegeEscalation") == "false", where);
                Assert.Equal(["ALL"], c.Strings("securityContext", "capabilities", "drop"));
                var mounts = c.Items("volumeMounts").Select(v => v.Text("mountPath")).ToList();
                Assert.True(mounts.Contains("/tmp") || mounts.Contains("/data"), $"{where} has nowhere to write");
                Assert.True(c.Has("resources", "requests"), $"{where} has no resource requests");
                Assert.True(c.Has("readinessProbe") && c.Has("livenessProbe"), $"{where} has no probes");
            }
        }
    }

    [Fact]
    public void Names_ReleaseAibrix_AreTheNamesTheEnvoyManifestsAndCodeUse()
    {
        var chart = ChartFixture.Render();

        var service = chart.Get("Service", GatewayDefaults.ServiceName);
        Assert.Equal(GatewayDefaults.Namespace, service.Node.Text("metadata", "namespace"));
        var ports = service.Node.Items("spec", "ports").ToDictionary(p => p.Text("name"));
        Assert.Equal(GatewayDefaults.GrpcPort, ports["grpc"].Int("port"));
        Assert.Equal("kubernetes.io/h2c", ports["grpc"].Text("appProtocol"));
        Assert.Equal(GatewayDefaults.HttpPort, ports["http"].Int("port"));
        chart.Get("Deployment", GatewayDefaults.ServiceName);
        chart.Get("Deployment", "aibrix-controllers");
    }

    [Theory]
    [InlineData("prod", null, "prod-aibrix")]
    [InlineData("aibrix-staging", null, "aibrix-staging")]
    [InlineData("prod", "fullnameOverride: llm", "llm")]
    [InlineData("a-release-name-that-is-far-too-long-for-kubernetes-objects", null, "a-release-name-that-is-far-too-long")]
    public void Names_ComeFromTheRelease(string release, string? values, string fullname)
    {
        var chart = ChartFixture.Render(values, release: release);

        chart.Get("Service", fullname + "-gateway-plugins");
        chart.Get("Secret", fullname + "-admin-token");
        chart.Get("Deployment", fullname + "-controllers");
        chart.Get("ClusterRole", $"aibrix-system-{fullname}-gateway-plugins");
    }

    [Fact]
    public void Standalone_ServesOnePortAndNoGrpc()
    {
        var chart = ChartFixture.Render("gateway: {mode: standalone, replicas: 1}");

        var service = chart.Get("Service", "aibrix-gateway-plugins");
        var port = Assert.Single(service.Node.Items("spec", "ports"));
        Assert.Equal(GatewayDefaults.StandalonePort, port.Int("port"));
        var args = Container(chart, "aibrix-gateway-plugins").Strings("args");
        Assert.Equal("standalone", args[0]);
        Assert.Contains("--listen", args);
        Assert.DoesNotContain("--grpc-port", args);
        Assert.Contains($"{GatewayDefaults.StandalonePort}", chart.Notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void Pdb_OnlyWhenThereIsMoreThanOneReplica(int replicas, bool expected)
    {
        var chart = ChartFixture.Render($"gateway: {{replicas: {replicas}}}");

        Assert.Equal(expected, chart.OfKind("PodDisruptionBudget").Any(p => p.Name == "aibrix-gateway-plugins"));
    }

    [Fact]
    public void Scheduling_NodeSelectorTolerationsAffinityAndPullSecrets_ReachThePods()
    {
        const string values = """
            imagePullSecrets: [{name: regcred}]
            gateway:
              nodeSelector: {pool: cpu}
              tolerations: [{key: dedicated, operator: Equal, value: gateway, effect: NoSchedule}]
              affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app.kubernetes.io/component: gateway}}}}]}}
              priorityClassName: system-cluster-critical
            controllers: {nodeSelector: {pool: system}}
            """;
        var chart = ChartFixture.Render(values);

        var gateway = chart.Get("Deployment", "aibrix-gateway-plugins").Node.At("spec", "template", "spec");
        Assert.Equal("cpu", gateway.Text("nodeSelector", "pool"));
        Assert.Equal("gateway", gateway.Text("tolerations", 0, "value"));
        Assert.Equal("100", gateway.Text("affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", 0, "weight"));
        Assert.Equal("system-cluster-critical", gateway.Text("priorityClassName"));
        Assert.Equal("regcred", gateway.Text("imagePullSecrets", 0, "name"));
        Assert.Equal("system", chart.Get("Deployment", "aibrix-controllers").Node.Text("spec", "template", "spec", "nodeSelector", "pool"));
    }

    [Fact]
    public void Notes_SayWhereTheGatewayIsAndHowToGetTheAdminToken()
    {
        var chart = ChartFixture.Render("envoyGateway: {enabled: true}");

        Assert.Contains("aibrix-gateway-plugins.aibrix-system.svc:50052", chart.Notes, StringComparison.Ordinal);
        Assert.Contains("get secret aibrix-admin-token", chart.Notes, StringComparison.Ordinal);
        Assert.Contains("enableEnvoyPatchPolicy", chart.Notes, StringComparison.Ordinal);
        Assert.Contains("auth.mode is none", chart.Notes, StringComparison.Ordinal);
        Assert.DoesNotContain("<no value>", chart.Notes, StringComparison.Ordinal);
    }

    internal static YamlNode Container(RenderedChart chart, string deployment) =>
        chart.Get("Deployment", deployment).Node.At("spec", "template", "spec", "containers", 0);

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex Dns1123Subdomain();
}
