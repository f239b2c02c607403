using System.Globalization;

namespace AIBrix.EngineSim;

/// <summary>
/// A step-time model derived from a GPU's specification and a model's architecture by the roofline: a step takes
/// the longer of its compute time and its memory time, plus a fixed overhead.
/// <code>
/// flops = 2·params·(prefill tokens + decode sequences) + 4·layers·heads·head_dim·(attention query-key pairs)
/// bytes = weights + KV bytes per token · (context tokens attended)
/// step  = overhead + max(flops / (peak FLOPs · compute efficiency), bytes / (bandwidth · bandwidth efficiency))
/// </code>
/// A prefill chunk of thousands of tokens is compute-bound; a decode step is memory-bound (every step reads all the
/// weights plus the batch's KV cache) until the batch is large. The KV-cache capacity follows from the memory left
/// after the weights (<see cref="GpuMemoryPlan"/>).
/// </summary>
/// <remarks>
/// Efficiencies: prefill in vLLM reaches about half of the tensor-core peak (model FLOPs utilisation), decode about
/// 80 % of peak bandwidth; the 2 ms overhead covers scheduling, sampling and kernel launches under CUDA graphs.
/// These defaults were not measured on the GPUs here (there are none); they give the expected ordering and ratios
/// between GPUs, e.g. an 8B model decodes one token in ~8 ms on an H100 and ~38 ms on an A10.
/// </remarks>
public sealed record RooflineStepTime : IStepTimeModel
{
    /// <summary>Creates the model of <paramref name="model"/> served on one <paramref name="gpu"/>.</summary>
    public RooflineStepTime(GpuSpec gpu, ModelArchitecture model)
    {
        Gpu = gpu;
        Model = model;
    }

    /// <summary>The GPU.</summary>
    public GpuSpec Gpu { get; }

    /// <summary>The served model's architecture.</summary>
    public ModelArchitecture Model { get; }

    /// <summary>Fraction of peak tensor throughput reached by the step's matmuls.</summary>
    public double ComputeEfficiency { get; init; } = 0.5;

    /// <summary>Fraction of peak memory bandwidth reached when streaming weights and KV cache.</summary>
    public double BandwidthEfficiency { get; init; } = 0.8;

    /// <summary>Fixed cost of every step in milliseconds.</summary>
    public double StepOverheadMs { get; init; } = 2.0;

    /// <summary>Share of usable memory the engine takes (vLLM <c>--gpu-memory-utilization</c>, default 0.9).</summary>
    public double GpuMemoryUtilization { get; init; } = 0.9;

    /// <summary>Memory kept for activations, CUDA graphs and the sampler, in GiB.</summary>
    public double RuntimeReserveGiB { get; init; } = 1.5;

    /// <summary>Tokens per KV block.</summary>
    public int BlockSize { get; init; } = 16;

    /// <inheritdoc />
    public string Name => $"{Gpu.Name.ToLowerInvariant()}-{Model.Name.ToLowerInvariant()} (roofline)";

    /// <summary>How the GPU's memory is split between weights, runtime and KV cache.</summary>
    public GpuMemoryPlan Memory => GpuMemoryPlan.For(Gpu, Model, GpuMemoryUtilization, RuntimeReserveGiB, BlockSize);

    /// <inheritdoc />
    public int? NumGpuBlocks => Memory is { Fits: true } plan ? plan.KvBlocks : null;

    /// <inheritdoc />
    public double StepSeconds(in StepWork work)
    {
        double flops = Model.LinearFlopsPerToken * (work.PrefillTokens + work.DecodeSequences)
                       + Model.AttentionFlopsPerPair * work.AttentionPairs;
        double bytes = Model.WeightBytes + Model.KvBytesPerToken * work.ContextTokens;
        double compute = flops / (Gpu.FlopsPerSecond * ComputeEfficiency);
        double memory = bytes / (Gpu.BandwidthBytesPerSecond * BandwidthEfficiency);
        return StepOverheadMs / 1000.0 + Math.Max(compute, memory);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Gpu.MemoryGiB > 0) || !(Gpu.MemoryBandwidthGBps > 0) || !(Gpu.DenseBf16Tflops > 0) || Gpu.EccReservedFraction is < 0 or >= 1)
        {
            errors.Add($"gpu {Gpu.Name}: memory, bandwidth and throughput must be > 0 and the ECC share in [0, 1)");
        }

        errors.AddRange(Model.Validate());
        if (ComputeEfficiency is <= 0 or > 1 || BandwidthEfficiency is <= 0 or > 1 || GpuMemoryUtilization is <= 0 or > 1)
        {
            errors.Add("gpu: compute efficiency, bandwidth efficiency and memory utilisation must be in (0, 1]");
        }

        if (StepOverheadMs < 0 || RuntimeReserveGiB < 0 || BlockSize <= 0)
        {
            errors.Add("gpu: step overhead and runtime reserve must be >= 0, block size > 0");
        }

        if (errors.Count == 0 && Memory.Problem(Gpu, Model) is { } problem)
        {
            errors.Add("gpu: " + problem);
        }

        return errors;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Memory.KvBlocks} KV blocks, decode step {StepSeconds(new StepWork(0, 1, 1, 1)) * 1000:0.0} ms");
}
