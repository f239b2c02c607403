namespace AIBrix.GpuOptimizer.Tests.Profiles;

public class BucketGridTests
{
    private static readonly BucketGrid Grid = new([32, 128], [128, 256, 512]);

    [Theory]
    [InlineData(128, 32, 0, 0)]
    [InlineData(181, 32, 0, 0)]     // log2(181) = 7.4998: nearer 128 than 256 in log space
    [InlineData(182, 32, 0, 1)]
    [InlineData(10, 1, 0, 0)]       // below the first bucket: the first
    [InlineData(100_000, 9_999, 1, 2)]   // beyond the last: the last
    [InlineData(300, 64, 1, 1)]     // log2(64) = 6 lies exactly between 5 and 7: ties go up
    public void Locate_Lengths_NearestBucketInLog2(int input, int output, int row, int column)
    {
        Assert.Equal((row, column), Grid.Locate(input, output));
    }

    [Fact]
    public void Locate_SingleBucket_AlwaysIt()
    {
        Assert.Equal((0, 0), new BucketGrid([128], [512]).Locate(1, 100_000));
    }

    [Fact]
    public void Equals_SameTicks_EqualOtherwiseNot()
    {
        Assert.True(Grid.Equals(new BucketGrid([32, 128], [128, 256, 512])));
        Assert.False(Grid.Equals(new BucketGrid([32, 128], [128, 256, 1024])));
    }
}
