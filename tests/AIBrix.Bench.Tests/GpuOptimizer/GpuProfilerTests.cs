using AIBrix.Bench.GpuOptimizer;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.Tests.GpuOptimizer;

public sealed class GpuProfilerTests
{
    private const string Model = "meta-llama/Llama-3.1-8B-Instruct";

    private static readonly ProfileSlos Slos = new() { Percentile = 99, Ttft = 1.0, Tpot = 0.08 };

    private static GpuProfiler Profiler(string gpu, BucketGrid grid, ProfileSlos? slos = null)
    {
        var (simulated, errors) = SimulatedGpu.Create(gpu, Model, 32_768);
        Assert.Empty(errors);
        return new GpuProfiler(simulated!, new ProfileSettings
        {
            Model = Model,
            Deployment = SimulatedGpu.DeploymentName(Model, gpu),
            Grid = grid,
            Slos = slos ?? Slos,
            RequestsPerProbe = 40,
        }, TimeProvider.System);
    }

    [Fact]
    public void MaxRate_ChosenRateMeetsSlos_TwiceItDoesNot()
    {
        var profiler = Profiler("L20", new BucketGrid([128], [512]));

        var (rate, latencies) = profiler.MaxRate(512, 128);

        Assert.True(rate > 0);
        Assert.NotNull(latencies);
        Assert.True(SloCheck.Statistic(latencies!.Select(l => l.TtftMs), 99) <= 1000);
        Assert.True(SloCheck.Statistic(latencies!.Select(l => l.TpotMs), 99) <= 80);
        double lone = profiler.LoneSeconds(512, 128)!.Value;
        Assert.NotNull(profiler.Probe(512, 128, rate, lone));
        Assert.Null(profiler.Probe(512, 128, rate * 2, lone));
    }

    [Fact]
    public void Run_A10AgainstL20_A10CheaperForChatL20ForLongAnswers()
    {
        var grid = new BucketGrid([64, 512], [128, 1024, 4096]);

        var a10 = Profiler("A10", grid).Run();
        var l20 = Profiler("L20", grid).Run();

        Assert.Empty(a10.Validate());
        Assert.Equal("llama-3-1-8b-instruct-a10", a10.Gpu);
        Assert.Equal(1.0, a10.Cost);
        Assert.Equal(1.4, l20.Cost);
        // Short chat: the A10 serves more requests per dollar.
        Assert.True(a10.Tputs[0, 0] / a10.Cost > l20.Tputs[0, 0] / l20.Cost);
        // Long answers: the L20's larger KV cache and bandwidth hold a larger batch within the TPOT.
        Assert.True(l20.Tputs[1, 1] > a10.Tputs[1, 1]);
        // A 4096-token prompt takes over 1 s to prefill on either (about 120 TFLOPS at half efficiency): unservable.
        Assert.Equal(0, a10.Tputs[0, 2]);
        Assert.Equal(0, l20.Tputs[0, 2]);
        Assert.Equal(Slos, a10.Slos);
        Assert.NotNull(a10.Ttft);
    }

    [Fact]
    public void Run_SloNoGpuMeets_ZeroEverywhere()
    {
        var profile = Profiler("A10", new BucketGrid([64], [2048]), new ProfileSlos { Percentile = 50, Ttft = 0.001 }).Run();

        Assert.Equal(0, profile.Tputs[0, 0]);
        Assert.Empty(profile.Validate());
    }
}
