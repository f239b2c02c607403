using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// Least privilege, checked against the code: each role grants every permission the calls in its controller's source
/// need (<see cref="KubernetesCalls"/>) and nothing more, except the few listed here with the reason.
/// </summary>
public sealed class ChartRbacTests
{
    /// <summary>A rendered role, the source folders whose calls it covers, and what it may grant beyond them and why.</summary>
    private sealed record RoleUnderTest(string Kind, string Name, string[] Sources, (ApiPermission Permission, string Why)[] Extras, string? Values = null);

    private static readonly RoleUnderTest[] Roles =
    [
        new("ClusterRole", "aibrix-system-aibrix-gateway-plugins", ["extproc", "controllers/AIBrix.Kubernetes/Discovery"], []),
        new("ClusterRole", "aibrix-system-aibrix-modeladapter-controller", ["controllers/AIBrix.Controllers/ModelAdapters"],
        [
            (new("model.aibrix.ai", "modeladapters/finalizers", "update"), "blockOwnerDeletion owner references on its Services and EndpointSlices"),
        ]),
        new("ClusterRole", "aibrix-system-aibrix-podautoscaler-controller", ["controllers/AIBrix.Controllers/PodAutoscalers"],
        [
            (new("autoscaling.aibrix.ai", "podautoscalers/finalizers", "update"), "blockOwnerDeletion owner references on the HorizontalPodAutoscalers it owns"),
            (new("orchestration.aibrix.ai", "rayclusterfleets/scale", "get"), "scales any kind by its scale subresource; RayClusterFleets are this project's"),
            (new("orchestration.aibrix.ai", "rayclusterfleets/scale", "patch"), "scales any kind by its scale subresource; RayClusterFleets are this project's"),
        ]),
        new("ClusterRole", "aibrix-system-aibrix-fleet-controller", ["controllers/AIBrix.Controllers/Fleets"],
        [
            (new("orchestration.aibrix.ai", "rayclusterfleets/finalizers", "update"), "blockOwnerDeletion owner references on its replica sets"),
            (new("orchestration.aibrix.ai", "rayclusterreplicasets/finalizers", "update"), "blockOwnerDeletion owner references on its RayClusters"),
        ]),
        new("ClusterRole", "aibrix-system-aibrix-modelrouter-controller", ["controllers/AIBrix.Controllers/ModelRouter"], []),
        new("ClusterRole", "aibrix-system-aibrix-gpuoptimizer-controller", ["controllers/AIBrix.Controllers/GpuOptimizer"], [], "controllers: {gpuOptimizer: {enabled: true}}"),
        new("ClusterRole", "aibrix-system-aibrix-coldstart-controller", ["controllers/AIBrix.Controllers/ColdStart"], [], "controllers: {coldStart: {enabled: true}}"),
        new("Role", "aibrix-controllers-leader-election", ["controllers/AIBrix.Controllers/Hosting"], []),
    ];

    public static TheoryData<string> RoleNames() => new(Roles.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RoleNames))]
    public void Role_GrantsExactlyWhatTheCodeCalls(string name)
    {
        var role = Roles.Single(r => r.Name == name);
        var (needed, unresolved) = KubernetesCalls.Scan(role.Sources.Select(s => ChartFixture.PathOf(s)));
        var granted = Grants(ChartFixture.Render(role.Values).Get(role.Kind, role.Name));

        Assert.Empty(unresolved);
        Assert.NotEmpty(needed); // the scan found the code: a moved folder can't make this pass vacuously
        Assert.Empty(needed.Except(granted).Select(p => p.ToString()));
        Assert.Empty(granted.Except(needed).Except(role.Extras.Select(e => e.Permission)).Select(p => p.ToString()));
    }

    [Fact]
    public void PodAutoscalerRole_WithheldWhenDisabled()
    {
        Assert.DoesNotContain(ChartFixture.Render("controllers: {podAutoscaler: {enabled: false}}").OfKind("ClusterRole"), r => r.Name.Contains("podautoscaler", StringComparison.Ordinal));
    }

    [Fact]
    public void GpuOptimizer_OffByDefault_OnRunsItWithTheChartsRedisAndLetsItThroughTheNetworkPolicy()
    {
        Assert.DoesNotContain(ChartFixture.Render().OfKind("ClusterRole"), r => r.Name.Contains("gpuoptimizer", StringComparison.Ordinal));

        var chart = ChartFixture.Render("controllers: {gpuOptimizer: {enabled: true}}");
        var parsed = AIBrix.Controllers.Hosting.ControllerCommandLine.Parse(ChartRenderTests.Container(chart, "aibrix-controllers").Strings("args"));

        Assert.Empty(parsed.Errors);
        Assert.Contains(AIBrix.Controllers.Hosting.ControllerNames.GpuOptimizer, parsed.Controllers);
        Assert.Equal("aibrix-redis.aibrix-system.svc:6379", parsed.GpuOptimizerRedis);
        var policy = chart.OfKind("NetworkPolicy").Single(p => p.Name == "aibrix-redis");
        Assert.Equal(2, policy.Node.Items("spec", "ingress").Single().Items("from").Count);
    }

    [Fact]
    public void ColdStart_OffByDefault_OnRunsItAndBindsItClusterWideEvenWhenNamespacesAreScoped()
    {
        Assert.DoesNotContain(ChartFixture.Render().OfKind("ClusterRole"), r => r.Name.Contains("coldstart", StringComparison.Ordinal));

        var chart = ChartFixture.Render("controllers: {coldStart: {enabled: true, interval: 45}, namespaces: [llm]}");
        var parsed = AIBrix.Controllers.Hosting.ControllerCommandLine.Parse(ChartRenderTests.Container(chart, "aibrix-controllers").Strings("args"));

        Assert.Empty(parsed.Errors);
        Assert.Contains(AIBrix.Controllers.Hosting.ControllerNames.ColdStart, parsed.Controllers);
        Assert.Equal(45, parsed.ColdStartIntervalSeconds);
        Assert.Contains(chart.OfKind("ClusterRoleBinding"), b => b.Node.Text("roleRef", "name") == "aibrix-system-aibrix-coldstart-controller");
    }

    [Fact]
    public void EveryControllerFolderThatCallsTheApi_IsCoveredByARole()
    {
        var covered = Roles.SelectMany(r => r.Sources).Select(s => ChartFixture.PathOf(s)).ToHashSet(StringComparer.Ordinal);
        var folders = Directory.EnumerateDirectories(ChartFixture.PathOf("controllers", "AIBrix.Controllers"))
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj"));

        var uncovered = folders.Where(f => !covered.Contains(f) && KubernetesCalls.Scan([f]).Needed.Count > 0).Select(Path.GetFileName);

        Assert.Empty(uncovered);
    }

    [Fact]
    public void LeaderElection_CreatesAnyLeaseButReadsAndRenewsOnlyItsOwn()
    {
        var role = ChartFixture.Render().Get("Role", "aibrix-controllers-leader-election");
        var rules = role.Node.Items("rules");

        Assert.Equal(["create"], rules.Single(r => !r.Has("resourceNames")).Strings("verbs"));
        var named = rules.Single(r => r.Has("resourceNames"));
        Assert.Equal([new LeaderElectionOptions().LeaseName], named.Strings("resourceNames"));
        Assert.Equal(["get", "update"], named.Strings("verbs"));
        Assert.Equal("aibrix-system", role.Node.Text("metadata", "namespace"));
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.Modes), MemberType = typeof(ChartRenderTests))]
    public void Rbac_NoWildcardsAndEveryBindingNamesARenderedRoleAndServiceAccount(string mode, string values)
    {
        var chart = ChartFixture.Render(values);
        var accounts = chart.OfKind("ServiceAccount").Select(s => s.Name).ToHashSet();

        foreach (var role in chart.OfKind("ClusterRole").Concat(chart.OfKind("Role")))
        {
            Assert.DoesNotContain("*", role.Node.Items("rules").SelectMany(r => r.Strings("verbs").Concat(r.Strings("resources")).Concat(r.Strings("apiGroups"))));
        }

        foreach (var binding in chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")))
        {
            string kind = binding.Node.Text("roleRef", "kind");
            Assert.True(chart.OfKind(kind).Any(r => r.Name == binding.Node.Text("roleRef", "name")), $"{mode}: {binding.Name} binds a missing {kind}");
            Assert.All(binding.Node.Items("subjects"), s => Assert.Contains(s.Text("name"), accounts));
        }

        foreach (var d in chart.OfKind("Deployment").Where(d => !d.Name.EndsWith("-redis", StringComparison.Ordinal)))
        {
            Assert.Contains(d.Node.Text("spec", "template", "spec", "serviceAccountName"), accounts);
        }
    }

    [Fact]
    public void ScopedNamespaces_BindTheControllerRolesOnlyThere()
    {
        var chart = ChartFixture.Render("controllers: {namespaces: [llm, team-b]}");

        var bindings = chart.OfKind("RoleBinding").Where(b => b.Node.Text("roleRef", "name").EndsWith("-controller", StringComparison.Ordinal)).ToList();

        Assert.Equal(8, bindings.Count); // modeladapter, modelrouter, podautoscaler and fleet, in each namespace
        Assert.Equal(["llm", "llm", "llm", "llm", "team-b", "team-b", "team-b", "team-b"], bindings.Select(b => b.Node.Text("metadata", "namespace")).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(chart.OfKind("ClusterRoleBinding"), b => b.Node.Text("roleRef", "name").EndsWith("-controller", StringComparison.Ordinal));
    }

    private static HashSet<ApiPermission> Grants(Manifest role) =>
        role.Node.Items("rules")
            .SelectMany(r => r.Strings("apiGroups").SelectMany(g => r.Strings("resources").SelectMany(res => r.Strings("verbs").Select(v => new ApiPermission(g, res, v)))))
            .ToHashSet();
}
