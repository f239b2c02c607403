using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.PodAutoscalers;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Controllers.Tests.Runtime;
using AIBrix.Kubernetes.Crds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using static AIBrix.Controllers.Tests.Infrastructure.AutoscalerFixture;

namespace AIBrix.Controllers.Tests.PodAutoscalers;

/// <summary>The PodAutoscaler controller inside the manager as the executable builds it: flags, leader election, metrics.</summary>
public sealed class PodAutoscalerManagerTests
{
    [Fact]
    public void CommandLine_AutoscalerInterval_DefaultRangeAndControllerName()
    {
        Assert.Equal(10, ControllerCommandLine.Parse([]).AutoscalerIntervalSeconds);
        Assert.Contains(ControllerNames.PodAutoscaler, ControllerCommandLine.Parse([]).Controllers);
        var cli = ControllerCommandLine.Parse(["--autoscaler-interval", "1", "--controllers", "podautoscaler"]);
        Assert.Empty(cli.Errors);
        Assert.Equal(1, cli.AutoscalerIntervalSeconds);
        Assert.Equal([ControllerNames.PodAutoscaler], cli.Controllers);
        Assert.Contains(ControllerCommandLine.Parse(["--autoscaler-interval", "0"]).Errors, e => e.Contains("--autoscaler-interval", StringComparison.Ordinal));
        Assert.NotEmpty(ControllerCommandLine.Parse(["--autoscaler-interval", "1s"]).Errors);
    }

    [Fact]
    public void Options_IntervalBelowOneSecond_Refused()
    {
        var errors = new PodAutoscalerOptions { Interval = TimeSpan.FromMilliseconds(500) }.Validate();

        Assert.Contains(errors, e => e.Contains("Interval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoManagers_OnlyTheLeaderScales_AndItsMetricsNameTheController()
    {
        await using var api = await FakeApiServer.StartAsync();
        Register(api);
        await using var engines = await MetricPods.StartAsync(1);
        engines[0].Waiting = 8;
        api.Put(Apps, "deployments", "default", Deployment("llama", 1));
        api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
        api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "KPA", "num_requests_waiting", "5"));
        string[] args = ["--leader-elect", "--leader-elect-namespace", "aibrix-system", "--namespace", "default", "--metrics-port", "0",
            "--controllers", "podautoscaler", "--autoscaler-interval", "1"];

        await using var first = ControllerManager.Build(ControllerCommandLine.Parse(args), api.CreateClient());
        await first.StartAsync();
        await Eventually.TrueAsync(() => api.Get(PaPath, PodAutoscaler.Plural, "default", "llama-pa")?["status"]?["desiredScale"] is not null, "status written");
        await using var second = ControllerManager.Build(ControllerCommandLine.Parse(args), api.CreateClient());
        await second.StartAsync();
        var leader = first.Services.GetRequiredService<PodAutoscalerController>();
        var follower = second.Services.GetRequiredService<PodAutoscalerController>();
        long led = leader.Reconciles;
        await Eventually.TrueAsync(() => leader.Reconciles >= led + 2, "the leader keeps reconciling every interval");

        Assert.Equal(2, api.Get(Apps, "deployments", "default", "llama")!["spec"]!["replicas"].AsLong());
        Assert.Equal(0, follower.Reconciles);
        var port = new Uri(first.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("aibrix_controller_reconciles_total{controller=\"podautoscaler\"}", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("controller=\"modeladapter\"", metrics, StringComparison.Ordinal);

        await second.StopAsync();
        await first.StopAsync();
    }
}
