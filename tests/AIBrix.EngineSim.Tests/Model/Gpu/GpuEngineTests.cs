namespace AIBrix.EngineSim.Tests.Model.Gpu;

/// <summary>The same model on different GPUs, through the whole engine in virtual time.</summary>
public class GpuEngineTests
{
    private static EngineModel Engine(GpuSpec gpu) =>
        new(new SimulatorOptions { Gpu = gpu, Model = "meta-llama/Llama-3.1-8B-Instruct" }.ToEngineConfig() with { EmitTokenEvents = false });

    private static int[] Prompt(int length, int salt) =>
        Enumerable.Range(0, length).Select(i => 1000 + (i * 7919 + salt * 104_729) % 100_000).ToArray();

    private static (double Ttft, double E2e) RunAlone(EngineModel engine, int promptTokens, int outputTokens)
    {
        var request = new EngineRequest { PromptTokens = Prompt(promptTokens, 1), OutputTokens = outputTokens };
        engine.Submit(request, 0);
        var events = new List<EngineEvent>();
        while (!double.IsPositiveInfinity(engine.NextEventTime))
        {
            engine.AdvanceTo(engine.NextEventTime);
            engine.DrainEvents(events);
        }

        return (events.Single(e => e.Kind == EngineEventKind.FirstToken).Time, events.Single(e => e.Kind == EngineEventKind.Finished).Time);
    }

    [Fact]
    public void Submit_SameRequest_A10SlowerThanH100AtPrefillAndDecode()
    {
        var (a10Ttft, a10E2e) = RunAlone(Engine(GpuCatalog.A10), 2000, 100);
        var (h100Ttft, h100E2e) = RunAlone(Engine(GpuCatalog.H100), 2000, 100);

        Assert.True(a10Ttft > 3 * h100Ttft, $"TTFT A10 {a10Ttft:0.000}s vs H100 {h100Ttft:0.000}s");
        Assert.True(a10E2e - a10Ttft > 3 * (h100E2e - h100Ttft), $"decode A10 {a10E2e - a10Ttft:0.000}s vs H100 {h100E2e - h100Ttft:0.000}s");
    }

    [Fact]
    public void Submit_ManyLongPrompts_A10HoldsFewerInTheBatch()
    {
        // 48 requests of 2,000 prompt tokens need 6,000 blocks: the H100 keeps them all running, the A10 (~1,900 blocks) cannot.
        var a10 = Engine(GpuCatalog.A10);
        var h100 = Engine(GpuCatalog.H100);
        foreach (var engine in new[] { a10, h100 })
        {
            for (int i = 0; i < 48; i++)
            {
                engine.Submit(new EngineRequest { PromptTokens = Prompt(2000, i + 2), OutputTokens = 500 }, 0);
            }

            engine.AdvanceTo(20);
        }

        Assert.Equal(48, h100.RunningCount + h100.Counters.FinishedStop + h100.Counters.FinishedLength);
        Assert.Equal(0, h100.Counters.Preemptions);
        Assert.True(a10.RunningCount < 20, $"A10 runs {a10.RunningCount}");
        Assert.True(a10.KvCacheUsage > 0.9, $"A10 KV usage {a10.KvCacheUsage}");
    }

    [Fact]
    public void ToEngineConfig_NoGpu_KeepsTheLinearH100ProfileAndItsBlocks()
    {
        var config = new SimulatorOptions().ToEngineConfig();

        Assert.Same(StepTimeProfile.H100Llama8B, config.Profile);
        Assert.Equal(29_952, config.NumGpuBlocks);
        // The default formula, hand-computed: 12 ms + 0.15 ms × 100 prefill tokens + 0.1 ms per 1,000 context tokens.
        Assert.Equal(0.027_01, config.Profile.StepSeconds(default(StepWork).Plus(100, 0, isDecode: false)), 9);
    }

    [Fact]
    public void ToEngineConfig_Gpu_TakesBlocksFromMemoryUnlessGiven()
    {
        var options = new SimulatorOptions { Gpu = GpuCatalog.A10 };

        Assert.Equal(new RooflineStepTime(GpuCatalog.A10, ModelCatalog.Llama31_8B).NumGpuBlocks, options.ToEngineConfig().NumGpuBlocks);
        Assert.Equal(500, (options with { NumGpuBlocks = 500 }).ToEngineConfig().NumGpuBlocks);
    }

    [Fact]
    public void Validate_GpuWithExplicitArchitecture_UsesItForAnyServedName()
    {
        var options = new SimulatorOptions { Gpu = GpuCatalog.L20, Model = "my-model", Architecture = ModelCatalog.Qwen25_7B };

        Assert.Empty(options.Validate());
        Assert.Equal("l20-qwen2.5-7b (roofline)", options.StepTimeModel.Name);
    }
}
