using System.Diagnostics;
using System.Globalization;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using Xunit.Abstractions;

namespace AIBrix.Controllers.Tests.ModelAdapters;

/// <summary>
/// Convergence of many adapters over many pods on the fake API server with fake engines. Small by default (a test that
/// every adapter converges with exactly one load); <c>AIBRIX_K8S_BENCH=1</c> runs the 1,000 adapters / 100 pods benchmark.
/// </summary>
public sealed class ModelAdapterConvergenceBenchmark(ITestOutputHelper output)
{
    [Fact]
    public async Task ModelAdapter_ManyAdaptersOverManyPods_ConvergeWithOneLoadEach()
    {
        bool full = Environment.GetEnvironmentVariable("AIBRIX_K8S_BENCH") == "1";
        int pods = full ? 100 : 10, adapters = full ? 1000 : 100;
        const string Base = "llama";
        await using var engines = await FakeEngineFleet.StartAsync(pods, Base);
        await using var f = await ControllerFixture.StartAsync(new ModelAdapterOptions { Workers = 4, Resync = TimeSpan.FromMinutes(10) });
        for (int i = 0; i < pods; i++)
        {
            f.Api.Put(Objects.CoreV1, "pods", "default", Objects.Pod($"pod-{i:D3}", Base, engines.Ports[i]));
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < adapters; i++)
        {
            f.CreateAdapter(Objects.Adapter($"lora-{i:D4}", Base));
        }

        await Eventually.TrueAsync(
            () => f.Api.All(Objects.ModelV1Alpha1, ModelAdapter.Plural, "default").All(a => a["status"]?["phase"]?.GetValue<string>() == ModelAdapterPhase.Running),
            "all adapters Running", seconds: 600);
        var converged = clock.Elapsed;
        long reconcilesAtConvergence = f.Controller.Reconciles;

        // Let the echoes of the last status writes drain, then check nothing reloads.
        await Eventually.TrueAsync(() => f.Controller.Queue.Count == 0, "queue drained", seconds: 120);
        int maxLoadsPerAdapter = engines.LoadsPerAdapter.Values.Max();
        var perPod = engines.Ports.Select(engines.LoadedOn).ToList();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{adapters} adapters over {pods} pods: converged in {converged.TotalSeconds:F2} s; engine loads {f.Engines.Loads} ({(double)f.Engines.Loads / adapters:F2}/adapter, max {maxLoadsPerAdapter} for one adapter); " +
            $"model listings {f.Engines.Lists}; reconciles {reconcilesAtConvergence} ({(double)reconcilesAtConvergence / adapters:F2}/adapter), errors {f.Controller.Errors}; " +
            $"adapters per pod min {perPod.Min()} max {perPod.Max()}; API requests {f.Api.Requests.Values.Sum()}"));

        Assert.Equal(adapters, engines.LoadsPerAdapter.Count);
        Assert.Equal(1, maxLoadsPerAdapter);
        Assert.Equal(adapters, f.Engines.Loads);
        Assert.Equal(adapters, perPod.Sum());
    }
}
