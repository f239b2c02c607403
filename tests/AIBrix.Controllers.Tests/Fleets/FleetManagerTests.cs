using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>The controller manager as the executable builds it, running only the fleet controllers behind the lease.</summary>
public sealed class FleetManagerTests
{
    [Fact]
    public async Task Manager_ControllersFleet_TakesTheLeaseRollsAFleetAndLabelsItsMetrics()
    {
        await using var api = await FakeApiServer.StartAsync();
        await using var kubeRay = new KubeRayStandIn(api, TimeProvider.System, instant: true);
        var cli = ControllerCommandLine.Parse(["--leader-elect", "--controllers", ControllerNames.Fleet, "--namespace", "llm", "--metrics-port", "0"]);
        Assert.Empty(cli.Errors);
        await using var app = ControllerManager.Build(cli, api.CreateClient());
        await app.StartAsync();

        api.Put(FleetFixture.Orchestration, RayClusterFleet.Plural, "llm", FleetFixture.Fleet("llama", 2));

        await Eventually.TrueAsync(
            () => api.Get(FleetFixture.Orchestration, RayClusterFleet.Plural, "llm", "llama")?["status"] is { } s && FleetFixture.Int(s.AsObject(), "availableReplicas") == 2,
            "2 clusters available under the manager");
        Assert.NotNull(api.Get("apis/coordination.k8s.io/v1", "leases", "aibrix-system", "aibrix-controllers"));
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("aibrix_controller_reconciles_total{controller=\"rayclusterfleet\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("aibrix_controller_reconciles_total{controller=\"rayclusterreplicaset\"}", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("controller=\"modeladapter\"", metrics, StringComparison.Ordinal);

        await app.StopAsync();
    }
}
