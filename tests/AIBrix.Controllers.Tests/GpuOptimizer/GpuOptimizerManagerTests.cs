using System.Net;
using System.Text.Json.Nodes;
using AIBrix.Controllers.GpuOptimizer;
using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.Tests.Runtime;
using AIBrix.GpuOptimizer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static AIBrix.Controllers.Tests.GpuOptimizer.GpuOptimizerFixture;

namespace AIBrix.Controllers.Tests.GpuOptimizer;

/// <summary>The GPU optimizer inside the controller manager: flags, the Deployment watch, Redis, and AIBrix's routes over real HTTP.</summary>
public sealed class GpuOptimizerManagerTests
{
    [Fact]
    public void CommandLine_GpuOptimizer_NotByDefault_NeedsRedis()
    {
        Assert.DoesNotContain(ControllerNames.GpuOptimizer, ControllerCommandLine.Parse([]).Controllers);

        var missing = ControllerCommandLine.Parse(["--controllers", "podautoscaler,gpuoptimizer"]);
        Assert.Contains(missing.Errors, e => e.Contains("--gpu-optimizer-redis", StringComparison.Ordinal));
        Assert.Contains(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "redis"]).Errors,
            e => e.Contains("HOST:PORT", StringComparison.Ordinal));
        Assert.NotEmpty(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "r:6379", "--gpu-optimizer-interval", "0"]).Errors);

        var ok = ControllerCommandLine.Parse(["--controllers", "podautoscaler,gpuoptimizer", "--gpu-optimizer-redis", "aibrix-redis-master:6379", "--gpu-optimizer-window", "120"]);
        Assert.Empty(ok.Errors);
        Assert.Equal([ControllerNames.PodAutoscaler, ControllerNames.GpuOptimizer], ok.Controllers);
        Assert.Equal("aibrix-redis-master:6379", ok.GpuOptimizerRedis);
        Assert.Equal(10, ok.GpuOptimizerIntervalSeconds);
        Assert.Equal(120, ok.GpuOptimizerWindowSeconds);

        // The gateway's redis: forms: cluster seeds, and sentinels with the service name.
        Assert.Empty(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "r-0:6379,r-1:6379,r-2:6379"]).Errors);
        Assert.Empty(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "s-0:26379,s-1:26379,serviceName=aibrix"]).Errors);
        Assert.Contains(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "r-0:6379,serviceName="]).Errors,
            e => e.Contains("serviceName= needs", StringComparison.Ordinal));
        Assert.Contains(ControllerCommandLine.Parse(["--controllers", "gpuoptimizer", "--gpu-optimizer-redis", "r-0:6379,r-1:99999"]).Errors,
            e => e.Contains("'r-1:99999' is not HOST:PORT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_OverARedisCluster_ReadsProfilesAndTracesFromEveryNode()
    {
        await using var f = await StartClusterAsync();
        await f.SaveProfilesAsync();
        await f.WriteTracesAsync();
        // The keys really are spread over the primaries: one node alone would not hold them all.
        var keysPerNode = f.Redis.GetServers().Where(s => !s.IsReplica).Select(s => s.Keys(pattern: "*").Count()).ToList();
        Assert.True(keysPerNode.Count(n => n > 0) >= 2, string.Join(",", keysPerNode));
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Apps, "deployments", "default", Deployment("llama-a10", "llama", 5, minReplicas: 2));
        api.Put(Apps, "deployments", "default", Deployment("llama-l20", "llama", 3));
        var (app, address) = await f.StartManagerAsync(api);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };

        await DecidedAsync(app, http, "llama");

        // The same decision as over one server: one L20, and the A10 at its min_replicas floor.
        Assert.EndsWith(" 1\n", await http.GetStringAsync("/metrics/default/llama-l20"), StringComparison.Ordinal);
        Assert.Equal(ModelOptimizer.PrometheusText("llama", 2), await http.GetStringAsync("/metrics/default/llama-a10"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Metrics_ProfilesAndTraces_ServeTheOptimumPerDeployment_AndTheMinReplicasLabel()
    {
        await using var f = await StartAsync();
        await f.SaveProfilesAsync();
        await f.WriteTracesAsync();
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Apps, "deployments", "default", Deployment("llama-a10", "llama", 5, minReplicas: 2));
        api.Put(Apps, "deployments", "default", Deployment("llama-l20", "llama", 3));
        var (app, address) = await f.StartManagerAsync(api);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };

        await DecidedAsync(app, http, "llama");
        Assert.EndsWith(" 1\n", await http.GetStringAsync("/metrics/default/llama-l20"), StringComparison.Ordinal);
        string a10 = await http.GetStringAsync("/metrics/default/llama-a10");

        // The optimum alone is one A10 and one L20; the A10's min_replicas label (2) is its floor.
        Assert.Equal(ModelOptimizer.PrometheusText("llama", 2), a10);
        Assert.Contains("vllm:deployment_replicas{model_name=\"llama\"} 2", a10, StringComparison.Ordinal);
        Assert.Equal(5, api.Get(Apps, "deployments", "default", "llama-a10")!["spec"]!["replicas"].AsLong()); // read-only: the PodAutoscaler scales
        var unknown = await http.GetAsync(new Uri("/metrics/default/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("not watched", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Metrics_NoTraces_KeepsTheDeploymentsCounts_AndStatusSaysWhy()
    {
        await using var f = await StartAsync();
        await f.SaveProfilesAsync("qwen");
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Apps, "deployments", "default", Deployment("qwen-a10", "qwen", 4));
        api.Put(Apps, "deployments", "default", Deployment("qwen-l20", "qwen", 3));
        var (app, address) = await f.StartManagerAsync(api);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };

        var model = await DecidedAsync(app, http, "qwen");

        Assert.StartsWith("no request traces in the window", model["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(" 4\n", await http.GetStringAsync("/metrics/default/qwen-a10"), StringComparison.Ordinal);
        Assert.EndsWith(" 3\n", await http.GetStringAsync("/metrics/default/qwen-l20"), StringComparison.Ordinal);
        Assert.Null(model["loadRequestsPerSecond"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task Routes_ScaleMonitorAndUpdateProfile_AsAIBrixAnswersThem()
    {
        await using var f = await StartAsync();
        await f.WriteTracesAsync();
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Apps, "deployments", "default", Deployment("llama-a10", "llama", 5));
        api.Put(Apps, "deployments", "default", Deployment("llama-l20", "llama", 3));
        var (app, address) = await f.StartManagerAsync(api);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };
        Assert.StartsWith("no profile for any deployment", (await DecidedAsync(app, http, "llama"))["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Profiles written after the start apply on /update_profile, at once.
        await f.SaveProfilesAsync();
        var update = await http.PostAsync(new Uri("/update_profile/llama", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Contains("2 profile(s)", await update.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith(" 1\n", await http.GetStringAsync("/metrics/default/llama-a10"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/update_profile/mistral", UriKind.Relative))).StatusCode);
        await f.Redis.GetDatabase().StringSetAsync("aibrix:profile_llama_llama-h100", "{\"gpu\":\"llama-h100\",\"cost\":-1}");
        var bad = await http.GetAsync(new Uri("/update_profile/llama", UriKind.Relative));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("aibrix:profile_llama_llama-h100", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A manual override wins; removing it gives the optimum back.
        var scale = await http.PostAsync(new Uri("/scale/default/llama-a10/7", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, scale.StatusCode);
        Assert.Contains("Scaled to 7", await scale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith(" 7\n", await http.GetStringAsync("/metrics/default/llama-a10"), StringComparison.Ordinal);
        var status = JsonNode.Parse(await http.GetStringAsync("/gpu-optimizer/status"))!;
        Assert.Equal(7, status["models"]![0]!["deployments"]![0]!["override"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/scale/default/llama-a10/-1", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/scale/default/llama-a10/two", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri("/scale/default/nope/2", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(new Uri("/scale/default/llama-a10", UriKind.Relative))).StatusCode);
        Assert.EndsWith(" 1\n", await http.GetStringAsync("/metrics/default/llama-a10"), StringComparison.Ordinal);

        // Monitoring off serves the deployments' own counts; on again, the optimum.
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(new Uri("/monitor/default/llama-a10", UriKind.Relative))).StatusCode);
        Assert.EndsWith(" 5\n", await http.GetStringAsync("/metrics/default/llama-a10"), StringComparison.Ordinal);
        Assert.False(JsonNode.Parse(await http.GetStringAsync("/gpu-optimizer/status"))!["models"]![0]!["monitoring"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri("/monitor/default/llama-a10", UriKind.Relative), null)).StatusCode);
        Assert.EndsWith(" 1\n", await http.GetStringAsync("/metrics/default/llama-a10"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri("/monitor/default/nope", UriKind.Relative), null)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Deployments_Removed_ModelForgotten_AndOnlyNamedWithRedis()
    {
        await using var f = await StartAsync();
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Apps, "deployments", "default", Deployment("phi-a10", "phi", 2));
        api.Put(Apps, "deployments", "default", Deployment("plain", "", 2)); // an empty model label is no model
        var (app, address) = await f.StartManagerAsync(api);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = address };
        await DecidedAsync(app, http, "phi");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics/default/plain", UriKind.Relative))).StatusCode);

        api.Remove(Apps, "deployments", "default", "phi-a10");
        var controller = app.Services.GetRequiredService<GpuOptimizerController>();
        await Eventually.TrueAsync(() => controller.Status().Count == 0, "phi forgotten");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics/default/phi-a10", UriKind.Relative))).StatusCode);
        Assert.Contains("aibrix_controller_reconciles_total{controller=\"gpuoptimizer\"}", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        await app.StopAsync();
    }

    /// <summary>Waits for the model's first decision in the status JSON and returns the model's entry.</summary>
    internal static async Task<JsonNode> DecidedAsync(WebApplication app, HttpClient http, string model)
    {
        var controller = app.Services.GetRequiredService<GpuOptimizerController>();
        await Eventually.TrueAsync(() => controller.Status().Any(m => m.Model == model && m.Reason is not null), $"{model} decided");
        var models = JsonNode.Parse(await http.GetStringAsync("/gpu-optimizer/status"))!["models"]!.AsArray();
        return models.Single(m => m!["model"]!.GetValue<string>() == model)!;
    }
}
