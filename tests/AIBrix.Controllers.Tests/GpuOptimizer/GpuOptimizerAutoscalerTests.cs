using System.Globalization;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Controllers.Tests.Runtime;
using AIBrix.Kubernetes.Crds;
using static AIBrix.Controllers.Tests.Infrastructure.AutoscalerFixture;

namespace AIBrix.Controllers.Tests.GpuOptimizer;

/// <summary>End to end: a PodAutoscaler whose external source is the optimizer's route scales to exactly its count.</summary>
public sealed class GpuOptimizerAutoscalerTests
{
    private static readonly Dictionary<string, string> FastUp = new() { ["autoscaling.aibrix.ai/max-scale-up-rate"] = "10" };

    [Fact]
    public async Task PodAutoscaler_ExternalSourceOnTheOptimizer_ScalesToItsCount_NotDividedByTargetValue()
    {
        await using var redis = await GpuOptimizerFixture.StartAsync();
        await redis.SaveProfilesAsync();
        await redis.WriteTracesAsync();
        await using var engines = await MetricPods.StartAsync(1);
        await using var f = await AutoscalerFixture.StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", GpuOptimizerFixture.Deployment("llama-a10", "llama", 1, minReplicas: 3));
            api.Put(Apps, "deployments", "default", GpuOptimizerFixture.Deployment("llama-l20", "llama", 1));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-a10-0", "llama-a10", engines.Ports[0]));
        }, run: false);
        var (app, address) = await redis.StartManagerAsync(f.Api);
        await using var _ = app;
        await GpuOptimizerManagerTests.DecidedAsync(app, new HttpClient { BaseAddress = address }, "llama");

        // AIBrix's own sample: targetValue 1; here 2, so dividing (AIBrix #461) would give 2 instead of 3.
        var pa = Autoscaler("llama-a10-pa", "llama-a10", "KPA", "vllm:deployment_replicas", "2", max: 10,
            sourceType: "external", endpoint: $"127.0.0.1:{address.Port.ToString(CultureInfo.InvariantCulture)}", annotations: FastUp);
        pa["spec"]!["metricsSources"]![0]!["path"] = "/metrics/default/llama-a10";
        f.Api.Put(PaPath, PodAutoscaler.Plural, "default", pa);
        await using var run = new ControllerRun(f);

        await f.TickAsync();

        Assert.Equal(3, f.Replicas("llama-a10")); // the optimizer's count: the min_replicas floor over an optimum of 1
        await app.StopAsync();
    }

    /// <summary>Runs the fixture's controller after the seed is complete, and stops it at the end.</summary>
    private sealed class ControllerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public ControllerRun(AutoscalerFixture f) => _run = f.Controller.RunAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }
    }
}
