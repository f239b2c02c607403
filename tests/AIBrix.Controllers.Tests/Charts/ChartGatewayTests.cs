using System.Reflection;
using System.Text;
using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// What the chart hands the programs is what the programs accept: the config file through the gateway's own loader,
/// the command lines through the gateway's and the controller manager's own parsers, the admin token from a Secret.
/// </summary>
public sealed class ChartGatewayTests
{
    private static readonly HashSet<string> Strategies = typeof(RoutingPolicies).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ChartRenderTests.Modes), MemberType = typeof(ChartRenderTests))]
    public void ConfigMap_IsAValidGatewayConfigForKubernetesDiscovery(string mode, string values)
    {
        string yaml = GatewayConfig(ChartFixture.Render(values));

        var result = GatewayConfigLoader.Parse(yaml, "gateway.yaml", Strategies.Contains, endpointsDiscovered: true);

        Assert.True(result.IsValid, $"{mode}: {string.Join("; ", result.Errors)}\n{yaml}");
        Assert.Equal(RoutingPolicies.LeastRequest, result.Config!.DefaultStrategy);
    }

    [Theory]
    [InlineData("", "aibrix-redis.aibrix-system.svc:6379")]
    [InlineData("redis: {address: redis.cache:6379, bundled: {enabled: false}}", "redis.cache:6379")]
    [InlineData("gateway: {replicas: 1}\nredis: {bundled: {enabled: false}}", null)]
    public void ConfigMap_RedisIsTheBundledServiceOrTheExternalAddress(string values, string? redis)
    {
        var chart = ChartFixture.Render(values);

        var config = GatewayConfigLoader.Parse(GatewayConfig(chart), "gateway.yaml", Strategies.Contains, endpointsDiscovered: true).Config!;

        Assert.Equal(redis, config.Redis);
        if (redis is not null && values.Length == 0)
        {
            var service = chart.Get("Service", "aibrix-redis");
            Assert.Equal(redis, $"{service.Name}.{service.Node.Text("metadata", "namespace")}.svc:{service.Node.Int("spec", "ports", 0, "port")}");
        }
    }

    [Theory]
    [InlineData("envoyGateway: {enabled: true}\ngateway: {config: {auth: {mode: apikey}}}", false, true)]
    [InlineData("envoyGateway: {enabled: true, extAuthz: false}\ngateway: {config: {auth: {mode: apikey}}}", true, false)]
    [InlineData("gateway: {config: {auth: {mode: apikey}}}", true, false)]
    [InlineData("envoyGateway: {enabled: true}\ngateway: {config: {auth: {mode: apikey, enforceInExtProc: true}}}", true, true)]
    public void ExtAuthz_KeysAreCheckedOnce_AtTheEdgeWhenTheSecurityPolicyIsThere(string values, bool inExtProc, bool securityPolicy)
    {
        var chart = ChartFixture.Render(values);

        var config = GatewayConfigLoader.Parse(GatewayConfig(chart), "gateway.yaml", Strategies.Contains, endpointsDiscovered: true).Config!;

        Assert.Equal(AuthMode.ApiKey, config.Auth.Mode);
        Assert.Equal(inExtProc, config.Auth.EnforceInExtProc);
        Assert.Equal(securityPolicy, chart.OfKind("SecurityPolicy").Any());
    }

    [Fact]
    public void ConfigChange_ChangesThePodTemplate_SoThePodsRoll()
    {
        static string Checksum(string values) =>
            ChartFixture.Render(values).Get("Deployment", "aibrix-gateway-plugins").Node.Text("spec", "template", "metadata", "annotations", "checksum/config");

        Assert.Equal(Checksum(""), Checksum(""));
        Assert.NotEqual(Checksum(""), Checksum("gateway: {config: {routing: {defaultStrategy: prefix-cache}}}"));
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.Modes), MemberType = typeof(ChartRenderTests))]
    public void GatewayArgs_ParseWithTheGatewaysOwnCommandLine(string mode, string values)
    {
        var chart = ChartFixture.Render(values);
        var container = ChartRenderTests.Container(chart, "aibrix-gateway-plugins");
        var args = container.Strings("args");

        var parsed = ParseGatewayArgs(args);

        Assert.True(parsed.Errors.Count == 0, $"{mode}: {string.Join("; ", parsed.Errors)}");
        Assert.Equal("kubernetes", parsed.Discovery);
        Assert.Equal("/etc/aibrix/gateway.yaml", parsed.Config);
        Assert.Contains(container.Items("volumeMounts"), m => m.Text("mountPath") == "/etc/aibrix");
        var ports = container.Items("ports").ToDictionary(p => p.Text("name"), p => p.Int("containerPort"));
        if (parsed.Mode == "extproc")
        {
            Assert.Equal(ports["grpc"], parsed.GrpcPort);
            Assert.Equal(ports["http"], parsed.HttpPort);
        }
        else
        {
            Assert.Equal(ports["http"], parsed.Port);
        }
    }

    [Fact]
    public void GatewayArgs_Namespaces_AreTheOnesRbacIsBoundIn()
    {
        var chart = ChartFixture.Render("gateway: {namespaces: [llm, team-b]}");

        var parsed = ParseGatewayArgs(ChartRenderTests.Container(chart, "aibrix-gateway-plugins").Strings("args"));

        Assert.Equal(["llm", "team-b"], parsed.Namespaces);
        var bindings = chart.OfKind("RoleBinding").Where(b => b.Node.Text("roleRef", "name") == "aibrix-system-aibrix-gateway-plugins");
        Assert.Equal(["llm", "team-b"], bindings.Select(b => b.Node.Text("metadata", "namespace")).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(chart.OfKind("ClusterRoleBinding"), b => b.Node.Text("roleRef", "name") == "aibrix-system-aibrix-gateway-plugins");
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.Modes), MemberType = typeof(ChartRenderTests))]
    public void ControllerArgs_ParseWithTheManagersOwnCommandLine(string mode, string values)
    {
        var chart = ChartFixture.Render(values);
        if (!chart.OfKind("Deployment").Any(d => d.Name == "aibrix-controllers"))
        {
            Assert.Equal("no-controllers", mode);
            return;
        }

        var container = ChartRenderTests.Container(chart, "aibrix-controllers");
        var parsed = ControllerCommandLine.Parse(container.Strings("args"));

        Assert.True(parsed.Errors.Count == 0, $"{mode}: {string.Join("; ", parsed.Errors)}");
        Assert.True(parsed.LeaderElect);
        Assert.Equal(container.Int("ports", 0, "containerPort"), parsed.MetricsPort);
        Assert.Equal(new ControllerCommandLine().MetricsPort, parsed.MetricsPort);
        // The Lease's namespace comes from POD_NAMESPACE (the downward API), where the leader-election Role is.
        Assert.Equal("metadata.namespace", container.Items("env").Single(e => e.Text("name") == "POD_NAMESPACE").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal(new LeaderElectionOptions().LeaseName, chart.Get("Role", "aibrix-controllers-leader-election").Node.Text("rules", 1, "resourceNames", 0));
    }

    [Fact]
    public void ModelRouter_AttachesRoutesToTheRenderedGateway_WhichAdmitsRoutesFromModelNamespaces()
    {
        var chart = ChartFixture.Render("envoyGateway: {enabled: true}");

        var parsed = ControllerCommandLine.Parse(ChartRenderTests.Container(chart, "aibrix-controllers").Strings("args"));
        var gateway = chart.OfKind("Gateway").Single();

        Assert.Contains(ControllerNames.ModelRouter, parsed.Controllers);
        Assert.Equal((gateway.Name, gateway.Node.Text("metadata", "namespace")), (parsed.RouterGatewayName, parsed.RouterGatewayNamespace));
        Assert.Equal("All", gateway.Node.Text("spec", "listeners", 0, "allowedRoutes", "namespaces", "from"));
    }

    [Theory]
    [InlineData("modelAdapter", ControllerNames.ModelAdapter)]
    [InlineData("modelRouter", ControllerNames.ModelRouter)]
    [InlineData("podAutoscaler", ControllerNames.PodAutoscaler)]
    [InlineData("fleet", ControllerNames.Fleet)]
    public void AController_Disabled_NotRunAndNoRole_TheOthersRun(string value, string controller)
    {
        var chart = ChartFixture.Render($"controllers: {{{value}: {{enabled: false}}}}");

        var parsed = ControllerCommandLine.Parse(ChartRenderTests.Container(chart, "aibrix-controllers").Strings("args"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(ControllerNames.All.Where(n => n != controller), parsed.Controllers);
        Assert.DoesNotContain(chart.OfKind("ClusterRole"), r => r.Name.EndsWith($"-{controller}-controller", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryControllerEnabled_RunsAll()
    {
        var parsed = ControllerCommandLine.Parse(ChartRenderTests.Container(ChartFixture.Render(), "aibrix-controllers").Strings("args"));

        Assert.Empty(parsed.Errors);
        Assert.Equal(ControllerNames.All, parsed.Controllers);
    }

    [Fact]
    public void AdminToken_GeneratedIntoASecretTheGatewayReads()
    {
        var chart = ChartFixture.Render();

        var secret = chart.Get("Secret", "aibrix-admin-token");
        string token = Encoding.UTF8.GetString(Convert.FromBase64String(secret.Node.Text("data", "token")));
        Assert.Equal(48, token.Length);
        Assert.True(token.All(char.IsAsciiLetterOrDigit));
        var env = ChartRenderTests.Container(chart, "aibrix-gateway-plugins").Items("env").Single(e => e.Text("name") == "AIBRIX_ADMIN_TOKEN");
        Assert.Equal("aibrix-admin-token", env.Text("valueFrom", "secretKeyRef", "name"));
        Assert.Equal("token", env.Text("valueFrom", "secretKeyRef", "key"));
        Assert.Equal(GatewayType("AIBrix.Gateway.Http.AdminOptions").GetField("TokenEnv")!.GetRawConstantValue(), env.Text("name"));
    }

    [Fact]
    public void AdminToken_KeptAcrossUpgrades_NewOnlyOnAFreshInstall()
    {
        var first = ChartFixture.Chart.Render(new ReleaseOptions { Seed = 1 });
        string token = first.Get("Secret", "aibrix-admin-token").Node.Text("data", "token");
        var existing = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["data"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["token"] = token },
        };

        var upgrade = ChartFixture.Chart.Render(new ReleaseOptions
        {
            Seed = 2,
            IsUpgrade = true,
            Lookup = (apiVersion, kind, ns, name) => (apiVersion, kind, ns, name) == ("v1", "Secret", "aibrix-system", "aibrix-admin-token") ? existing : null,
        });
        var reinstall = ChartFixture.Chart.Render(new ReleaseOptions { Seed = 2 });

        Assert.Equal(token, upgrade.Get("Secret", "aibrix-admin-token").Node.Text("data", "token"));
        Assert.NotEqual(token, reinstall.Get("Secret", "aibrix-admin-token").Node.Text("data", "token"));
    }

    [Fact]
    public void AdminToken_ExistingSecret_IsReadAndNoneIsCreated()
    {
        var chart = ChartFixture.Render("gateway: {adminToken: {existingSecret: ops-token, existingSecretKey: admin}}");

        Assert.Empty(chart.OfKind("Secret"));
        var env = ChartRenderTests.Container(chart, "aibrix-gateway-plugins").Items("env").Single(e => e.Text("name") == "AIBRIX_ADMIN_TOKEN");
        Assert.Equal(("ops-token", "admin"), (env.Text("valueFrom", "secretKeyRef", "name"), env.Text("valueFrom", "secretKeyRef", "key")));
        Assert.Contains("get secret ops-token", chart.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_DefaultToTheRegistryAndTheChartsAppVersion()
    {
        var chart = ChartFixture.Render("image: {registry: registry.example.com/ml/}\ncontrollers: {image: {tag: \"0.2.0-rc1\"}}");

        Assert.Equal($"registry.example.com/ml/aibrix-gateway:{ChartFixture.Chart.AppVersion}", ChartRenderTests.Container(chart, "aibrix-gateway-plugins").Text("image"));
        Assert.Equal("registry.example.com/ml/aibrix-controllers:0.2.0-rc1", ChartRenderTests.Container(chart, "aibrix-controllers").Text("image"));
    }

    [Fact]
    public void GatewayArgs_InferencePool_DiscoversThePoolInTheReleaseNamespaceWithRbacForIt()
    {
        var chart = ChartFixture.Render("gateway: {inferencePool: {name: llama-pool}, namespaces: [ignored]}");

        var args = ChartRenderTests.Container(chart, "aibrix-gateway-plugins").Strings("args");
        var parsed = ParseGatewayArgs(args);

        Assert.Empty(parsed.Errors);
        Assert.Equal("inferencepool", parsed.Discovery);
        Assert.Equal(["--pool", "llama-pool", "--pool-namespace", "aibrix-system"], args.SkipWhile(a => a != "--pool").Take(4));
        var rules = chart.Get("ClusterRole", "aibrix-system-aibrix-gateway-plugins").Node.Items("rules");
        Assert.Contains(rules, r => r.Strings("resources").Contains("inferencepools") && r.Strings("apiGroups").Contains("inference.networking.k8s.io"));
    }

    /// <summary>A type of aibrix-gateway, whose hosting types are internal.</summary>
    private static Type GatewayType(string name) => Assembly.Load(new AssemblyName("aibrix-gateway")).GetType(name, throwOnError: true)!;

    private static string GatewayConfig(RenderedChart chart) => chart.Get("ConfigMap", "aibrix-gateway-config").Node.Text("data", "gateway.yaml");

    /// <summary>The gateway's command line (internal to aibrix-gateway), parsed by its own code through reflection.</summary>
    private static (IReadOnlyList<string> Errors, string Mode, string Discovery, string? Config, int GrpcPort, int HttpPort, int Port, IReadOnlyList<string> Namespaces) ParseGatewayArgs(IReadOnlyList<string> args)
    {
        var type = GatewayType("AIBrix.Gateway.Hosting.GatewayCommandLine");
        object parsed = type.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [args])!;
        T Get<T>(string name) => (T)type.GetProperty(name)!.GetValue(parsed)!;
        return (Get<IReadOnlyList<string>>("Errors"), Get<string>("Mode"), Get<string>("Discovery"), (string?)type.GetProperty("ConfigPath")!.GetValue(parsed),
            Get<int>("GrpcPort"), Get<int>("HttpPort"), Get<int>("Port"), Get<IReadOnlyList<string>>("Namespaces"));
    }
}
