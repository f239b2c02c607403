using System.Globalization;

namespace AIBrix.EngineSim;

/// <summary>
/// How vLLM splits one GPU's memory: a budget of <c>usable memory × gpu-memory-utilization</c>, of which the weights
/// and a runtime reserve (activations at the step's token budget, CUDA graphs, sampler) come first and the rest
/// becomes KV-cache blocks.
/// </summary>
/// <param name="BudgetBytes">Usable memory × utilisation.</param>
/// <param name="WeightBytes">The model's weights.</param>
/// <param name="ReserveBytes">Runtime reserve.</param>
/// <param name="KvBlockBytes">Bytes of one KV block.</param>
/// <param name="KvBlocks">Whole blocks that fit in what is left; 0 when nothing is left.</param>
public sealed record GpuMemoryPlan(double BudgetBytes, double WeightBytes, double ReserveBytes, double KvBlockBytes, int KvBlocks)
{
    private const double GiB = 1L << 30;

    /// <summary>Whether the weights fit with room for at least one KV block.</summary>
    public bool Fits => KvBlocks > 0;

    /// <summary>Plans <paramref name="model"/> on <paramref name="gpu"/>.</summary>
    public static GpuMemoryPlan For(GpuSpec gpu, ModelArchitecture model, double memoryUtilization, double reserveGiB, int blockSize)
    {
        double budget = gpu.UsableMemoryBytes * memoryUtilization;
        double reserve = reserveGiB * GiB;
        double blockBytes = model.KvBytesPerToken * blockSize;
        double left = budget - model.WeightBytes - reserve;
        int blocks = left <= 0 || blockBytes <= 0 ? 0 : (int)Math.Min(int.MaxValue, Math.Floor(left / blockBytes));
        return new GpuMemoryPlan(budget, model.WeightBytes, reserve, blockBytes, blocks);
    }

    /// <summary>Why the model does not fit, in the words an operator needs; null when it fits.</summary>
    public string? Problem(GpuSpec gpu, ModelArchitecture model)
    {
        if (Fits)
        {
            return null;
        }

        string verdict = WeightBytes > BudgetBytes ? "does not fit on" : "leaves no room for a KV cache on";
        string sizes = string.Create(CultureInfo.InvariantCulture,
            $"weights {WeightBytes / GiB:0.0} GiB + runtime {ReserveBytes / GiB:0.0} GiB against {BudgetBytes / GiB:0.0} GiB");
        return $"{model.Name} {verdict} one {gpu.Name}: {sizes} the engine may use ({gpu.MemoryGiB.ToString(CultureInfo.InvariantCulture)} GB " +
               "at its memory utilisation); pick a smaller model or a larger GPU";
    }
}
