using AIBrix.EngineSim;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// Profiles for the solver benchmark, shaped by the simulator's GPU roofline (no profiling run): per bucket, a
/// replica's rate is the inverse of the GPU time one request takes (its prefill, plus its share of decode steps at the
/// batch the KV cache holds), and 0 where a lone request's TTFT passes 2 s or its KV does not fit. Costs are
/// indicative hourly prices. Realistic enough to give the ILP its real structure: rates that differ by bucket and GPU
/// and buckets some GPUs cannot serve.
/// </summary>
internal static class SyntheticProfiles
{
    private static readonly (GpuSpec Gpu, double Cost)[] Gpus =
        [(GpuCatalog.A10, 1.0), (GpuCatalog.L20, 1.4), (GpuCatalog.L40S, 1.9), (GpuCatalog.A100, 3.7), (GpuCatalog.H100, 6.9)];

    /// <summary>Output × input buckets, powers of two (AIBrix's profiling grid style).</summary>
    public static BucketGrid Grid(int outputs, int inputs) =>
        new(Enumerable.Range(0, outputs).Select(k => Math.Pow(2, 4 + k)), Enumerable.Range(0, inputs).Select(k => Math.Pow(2, 6 + k)));

    /// <summary>The first <paramref name="types"/> GPU types (A10, L20, L40S, A100, H100) serving Llama-3.1-8B.</summary>
    public static IReadOnlyList<GpuPool> Pools(BucketGrid grid, int types) =>
        [.. Gpus.Take(types).Select(g => new GpuPool(Profile(g.Gpu, g.Cost, grid)))];

    /// <summary>A request mix with <paramref name="totalRate"/> req/s: many short chats, a tail of long prompts.</summary>
    public static LoadHistogram Load(BucketGrid grid, double totalRate, int seed)
    {
        var random = new Random(seed);
        var weights = BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => random.NextDouble() * Math.Pow(0.7, r + c / 2.0));
        double sum = weights.Sum();
        return new LoadHistogram(grid, BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => weights[r, c] / sum * totalRate));
    }

    /// <summary>The mix of an earlier interval: every bucket's rate times a seeded factor in [1 − <paramref name="spread"/>, 1 + <paramref name="spread"/>].</summary>
    public static LoadHistogram Perturbed(LoadHistogram load, double spread, int seed)
    {
        var random = new Random(seed + 1000);
        return new LoadHistogram(load.Grid, BucketMatrix.Create(load.Grid.Rows, load.Grid.Columns,
            (r, c) => load.Rates[r, c] * (1 + (spread * ((2 * random.NextDouble()) - 1)))));
    }

    private static GpuProfile Profile(GpuSpec gpu, double cost, BucketGrid grid)
    {
        var roofline = new RooflineStepTime(gpu, ModelCatalog.Llama31_8B);
        int kvTokens = roofline.NumGpuBlocks!.Value * roofline.BlockSize;
        var tputs = BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) =>
        {
            int input = (int)grid.InputTokens[c];
            int output = (int)grid.OutputTokens[r];
            double prefill = roofline.StepSeconds(default(StepWork).Plus(input, 0, isDecode: false));
            int batch = Math.Min(256, kvTokens / (input + output));
            if (prefill > 2.0 || batch < 1)
            {
                return 0;
            }

            var decodeStep = default(StepWork);
            for (int i = 0; i < batch; i++)
            {
                decodeStep = decodeStep.Plus(1, input + output / 2, isDecode: true);
            }

            double seconds = prefill + output * roofline.StepSeconds(decodeStep) / batch;
            return Math.Round(0.8 / seconds, 3);
        });
        return new GpuProfile { Gpu = $"llama-3.1-8b-{gpu.Name.ToLowerInvariant()}", Cost = cost, Grid = grid, Tputs = tputs };
    }
}
