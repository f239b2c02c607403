namespace AIBrix.GpuOptimizer.Tests;

/// <summary>Small hand-made profiles for the tests.</summary>
internal static class TestProfiles
{
    /// <summary>One output bucket (128) and two input buckets: short (256) and long (4096) prompts.</summary>
    public static BucketGrid ShortLong { get; } = new([128], [256, 4096]);

    /// <summary>A single bucket.</summary>
    public static BucketGrid Single { get; } = new([128], [512]);

    public static GpuProfile Profile(string gpu, double cost, BucketGrid grid, params double[] tputsRowMajor) => new()
    {
        Gpu = gpu,
        Cost = cost,
        Grid = grid,
        Tputs = BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => tputsRowMajor[r * grid.Columns + c]),
    };

    public static LoadHistogram Load(BucketGrid grid, params double[] ratesRowMajor) =>
        new(grid, BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => ratesRowMajor[r * grid.Columns + c]));

    /// <summary>A10-like: cheap, serves short prompts at 4 req/s, cannot meet the SLO on long ones.</summary>
    public static GpuProfile Small { get; } = Profile("a10", 1.0, ShortLong, 4, 0);

    /// <summary>L20-like: twice the cost, 5 req/s of short prompts and 1 req/s of long ones.</summary>
    public static GpuProfile Large { get; } = Profile("l20", 2.0, ShortLong, 5, 1);
}
