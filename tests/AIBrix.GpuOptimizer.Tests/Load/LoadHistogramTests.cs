namespace AIBrix.GpuOptimizer.Tests.Load;

public class LoadHistogramTests
{
    private static readonly BucketGrid Grid = new([32, 128], [128, 1024]);

    [Fact]
    public void FromRequests_Window_RatePerBucket()
    {
        var requests = Enumerable.Repeat((100, 30), 20).Concat(Enumerable.Repeat((900, 200), 5));

        var load = LoadHistogram.FromRequests(Grid, requests, TimeSpan.FromSeconds(10));

        Assert.Equal(2.0, load.Rates[0, 0]);   // 20 short chats in 10 s
        Assert.Equal(0.5, load.Rates[1, 1]);   // 5 long ones
        Assert.Equal(2.5, load.TotalRate);
    }

    [Fact]
    public void WithRate_Lengths_SetsTheirBucketOnly()
    {
        var load = LoadHistogram.Empty(Grid).WithRate(1000, 120, 3);

        Assert.Equal(3, load.Rates[1, 1]);
        Assert.Equal(3, load.TotalRate);
    }

    [Fact]
    public void Constructor_WrongShape_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LoadHistogram(Grid, BucketMatrix.Filled(1, 2, 0)));
    }

    [Fact]
    public void FromRequests_NonPositiveWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadHistogram.FromRequests(Grid, [], TimeSpan.Zero));
    }
}
