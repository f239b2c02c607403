namespace AIBrix.EngineSim.Tests.Model.Gpu;

public class RooflineStepTimeTests
{
    private static readonly RooflineStepTime H100 = new(GpuCatalog.H100, ModelCatalog.Llama31_8B);
    private static readonly RooflineStepTime A10 = new(GpuCatalog.A10, ModelCatalog.Llama31_8B);

    private static StepWork Prefill(int tokens) => default(StepWork).Plus(tokens, 0, isDecode: false);

    private static StepWork Decode(int sequences, int context)
    {
        StepWork work = default;
        for (int i = 0; i < sequences; i++)
        {
            work = work.Plus(1, context, isDecode: true);
        }

        return work;
    }

    [Fact]
    public void StepSeconds_LoneDecode_IsOverheadPlusWeightsOverBandwidth()
    {
        // Hand-computed: 8.03e9 params × 2 bytes / (3.35e12 B/s × 0.8) = 5.993 ms, plus 2 ms overhead; KV of 1 token is noise.
        double seconds = H100.StepSeconds(Decode(1, 0));

        Assert.Equal(0.002 + 8.03e9 * 2 / (3.35e12 * 0.8), seconds, 5);
    }

    [Fact]
    public void StepSeconds_Prefill_IsComputeBound()
    {
        // 2,048 tokens: 2 × 8.03e9 × 2048 FLOPs dwarf one read of the weights, so doubling the tokens about doubles the time
        // (a little more: causal attention grows with the square).
        double small = H100.StepSeconds(Prefill(2048)) - H100.StepOverheadMs / 1000;
        double large = H100.StepSeconds(Prefill(4096)) - H100.StepOverheadMs / 1000;

        Assert.InRange(large / small, 2.0, 2.3);
    }

    [Fact]
    public void StepSeconds_SmallDecodeBatch_IsMemoryBound()
    {
        // Eight sequences read the same weights as one: the step barely grows.
        double one = H100.StepSeconds(Decode(1, 500));
        double eight = H100.StepSeconds(Decode(8, 500));

        Assert.InRange(eight / one, 1.0, 1.05);
    }

    [Fact]
    public void StepSeconds_H100AgainstA10_FasterAtPrefillAndDecode()
    {
        Assert.True(H100.StepSeconds(Prefill(2048)) * 3 < A10.StepSeconds(Prefill(2048)), "H100 has ~8x the tensor throughput of an A10");
        Assert.True(H100.StepSeconds(Decode(16, 1000)) * 3 < A10.StepSeconds(Decode(16, 1000)), "H100 has ~5.6x the bandwidth of an A10");
    }

    [Fact]
    public void StepSeconds_EveryCatalogGpu_OrdersAsItsSpecification()
    {
        var model = ModelCatalog.Llama32_3B;
        double Prefill2k(GpuSpec gpu) => new RooflineStepTime(gpu, model).StepSeconds(Prefill(2048));
        double Decode32(GpuSpec gpu) => new RooflineStepTime(gpu, model).StepSeconds(Decode(32, 1000));

        // Decode follows bandwidth: L4 300 < A10 600 < L20 = L40S 864 < A100 2039 < H100 3350 < H200 4800 GB/s.
        Assert.True(Decode32(GpuCatalog.L4) > Decode32(GpuCatalog.A10));
        Assert.True(Decode32(GpuCatalog.A10) > Decode32(GpuCatalog.L20));
        Assert.Equal(Decode32(GpuCatalog.L20), Decode32(GpuCatalog.L40S), 9);
        Assert.True(Decode32(GpuCatalog.L40S) > Decode32(GpuCatalog.A100));
        Assert.True(Decode32(GpuCatalog.A100) > Decode32(GpuCatalog.H100));
        Assert.True(Decode32(GpuCatalog.H100) > Decode32(GpuCatalog.H200));

        // Prefill follows tensor throughput: L20 119.5 ≈ L4 121 ≈ A10 125 < A100 312 < L40S 362 < H100 989 TFLOPS.
        Assert.True(Prefill2k(GpuCatalog.A10) > Prefill2k(GpuCatalog.A100));
        Assert.True(Prefill2k(GpuCatalog.A100) > Prefill2k(GpuCatalog.L40S));
        Assert.True(Prefill2k(GpuCatalog.L40S) > Prefill2k(GpuCatalog.H100));
        Assert.True(Prefill2k(GpuCatalog.L20) > Prefill2k(GpuCatalog.A10), "the L20 has slightly less tensor throughput than the A10");
    }

    [Fact]
    public void NumGpuBlocks_SameModel_FollowsMemoryLeftAfterWeights()
    {
        int a10 = A10.NumGpuBlocks!.Value;
        int l20 = new RooflineStepTime(GpuCatalog.L20, ModelCatalog.Llama31_8B).NumGpuBlocks!.Value;
        int h100 = H100.NumGpuBlocks!.Value;

        Assert.True(a10 < l20 && l20 < h100, $"A10 {a10}, L20 {l20}, H100 {h100}");
        // An 8B model in bf16 (15 GiB) fits a 24 GB A10 but leaves it ~1/15 of an H100's KV cache.
        Assert.True(a10 * 10 < h100, $"A10 {a10} vs H100 {h100}");
        // The H100 figure lands near what vLLM reports for this model at 0.9 utilisation (29,952).
        Assert.InRange(h100, 27_000, 30_500);
    }

    [Fact]
    public void NumGpuBlocks_KvBlocksAndWeights_StayWithinTheBudget()
    {
        foreach (var gpu in GpuCatalog.All)
        {
            var plan = new RooflineStepTime(gpu, ModelCatalog.Llama32_3B).Memory;

            Assert.True(plan.Fits);
            double used = plan.WeightBytes + plan.ReserveBytes + plan.KvBlocks * plan.KvBlockBytes;
            Assert.InRange(plan.BudgetBytes - used, 0, plan.KvBlockBytes);
        }
    }

    [Theory]
    [InlineData("A10")]
    [InlineData("H100")]
    [InlineData("H200")]
    public void Validate_70BModelOnOneGpu_SaysItDoesNotFit(string gpuName)
    {
        var model = new RooflineStepTime(GpuCatalog.Find(gpuName)!, ModelCatalog.Llama31_70B);

        string error = Assert.Single(model.Validate());
        Assert.Contains("Llama-3.1-70B does not fit on one " + gpuName, error, StringComparison.Ordinal);
        Assert.Null(model.NumGpuBlocks);
    }

    [Fact]
    public void Validate_WeightsFitButNothingLeft_SaysNoRoomForKvCache()
    {
        // 21 GB of weights under the A10's ~20.25 GiB budget minus reserve: the weights fit, the KV cache does not.
        var model = new RooflineStepTime(GpuCatalog.A10, new ModelArchitecture("big-10b", 10.4e9, 40, 32, 8, 128));

        string error = Assert.Single(model.Validate());
        Assert.Contains("leaves no room for a KV cache", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EfficiencyOutOfRange_Reported()
    {
        var model = H100 with { ComputeEfficiency = 1.5 };

        Assert.Contains(model.Validate(), e => e.Contains("efficiency", StringComparison.Ordinal));
    }
}
