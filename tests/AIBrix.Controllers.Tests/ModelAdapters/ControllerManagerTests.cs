using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.EngineSim;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Controllers.Tests.ModelAdapters;

/// <summary>The controller-manager host as the executable builds it: leader election on, metrics port, a ModelAdapter reconciled.</summary>
public sealed class ControllerManagerTests
{
    [Fact]
    public async Task ModelAdapter_ManagerWithLeaderElection_TakesTheLeaseReconcilesAndServesMetrics()
    {
        await using var api = await FakeApiServer.StartAsync();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, TimeScale = 1000, LoraLoadTime = TimeSpan.Zero });
        api.Put(Objects.CoreV1, "pods", "llm", Objects.Pod("pod-0", "base", sim.Instances[0].Port));
        api.Put(Objects.ModelV1Alpha1, ModelAdapter.Plural, "llm", Objects.Adapter("lora-mgr", "base"));
        var cli = ControllerCommandLine.Parse(["--leader-elect", "--leader-elect-namespace", "aibrix-system", "--namespace", "llm", "--metrics-port", "0"]);
        Assert.Empty(cli.Errors);

        await using var app = ControllerManager.Build(cli, api.CreateClient());
        await app.StartAsync();

        await Eventually.TrueAsync(
            () => api.Get(Objects.ModelV1Alpha1, ModelAdapter.Plural, "llm", "lora-mgr")?["status"]?["phase"]?.GetValue<string>() == ModelAdapterPhase.Running,
            "adapter Running under the manager");
        Assert.NotNull(api.Get("apis/coordination.k8s.io/v1", "leases", "aibrix-system", "aibrix-controllers"));

        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("aibrix_controller_reconciles_total{controller=\"modeladapter\"}", metrics, StringComparison.Ordinal);
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")));

        await app.StopAsync();
    }
}
