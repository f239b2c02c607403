using AIBrix.Autoscaling.Windows;

namespace AIBrix.Autoscaling.Tests.Windows;

public sealed class MetricWindowTests
{
    private static readonly DateTimeOffset T0 = Scenario.Epoch;

    private static MetricWindow Window() =>
        new(TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));

    [Fact]
    public void Read_ThreeWindows_MeanOfTheSamplesInEach()
    {
        var window = Window();
        for (int t = 0; t <= 170; t += 10)
        {
            window.Record(T0.AddSeconds(t), total: t);
        }

        var r = window.Read(T0.AddSeconds(170));

        Assert.Equal((18, 85.0), (r.Stable.Samples, r.Stable.Total)); // 0..170
        Assert.Equal((6, 145.0), (r.Panic.Samples, r.Panic.Total)); // 120..170
        Assert.Equal((3, 160.0), (r.Apa.Samples, r.Apa.Total)); // 150..170
        Assert.Equal(TimeSpan.FromSeconds(170), r.Coverage);
    }

    [Fact]
    public void Record_SameBucket_SamplesAreAveragedNotSummed()
    {
        var window = Window();
        window.Record(T0.AddSeconds(5.1), 10);
        window.Record(T0.AddSeconds(5.7), 20);

        var r = window.Read(T0.AddSeconds(6));

        Assert.Equal(1, window.Count);
        Assert.Equal((2, 15.0), (r.Stable.Samples, r.Stable.Total));
    }

    [Fact]
    public void Record_OlderThanNewest_Rejected()
    {
        var window = Window();
        Assert.True(window.Record(T0.AddSeconds(10), 1));

        Assert.False(window.Record(T0.AddSeconds(9), 100));
        Assert.Equal(1.0, window.Read(T0.AddSeconds(10)).Stable.Total);
    }

    [Fact]
    public void Read_AfterAGapLongerThanEveryWindow_NoData()
    {
        var window = Window();
        window.Record(T0, 5);

        var r = window.Read(T0.AddSeconds(180));

        Assert.False(r.Stable.HasData);
        Assert.False(r.Panic.HasData);
    }

    [Theory]
    [InlineData(1, 180)] // a sample every second fills one bucket per second of the longest window
    [InlineData(10, 32)] // 18 buckets in use; the ring grew 8 → 16 → 32
    public void Record_ManyHours_MemoryStaysBoundedByTheLongestWindow(int intervalSeconds, int capacity)
    {
        var window = Window();
        for (int t = 0; t < 10 * 3600; t += intervalSeconds)
        {
            window.Record(T0.AddSeconds(t), 1);
        }

        Assert.Equal(180, window.MaxEntries);
        Assert.Equal(capacity, window.Capacity);
        Assert.Equal(180 / intervalSeconds, window.Count);
    }

    [Fact]
    public void Coverage_RestartsWhenTheWindowEmptied()
    {
        var window = Window();
        window.Record(T0, 0);
        window.Record(T0.AddSeconds(500), 0); // everything before fell out

        Assert.Equal(TimeSpan.FromSeconds(20), window.Read(T0.AddSeconds(520)).Coverage);
    }

    [Fact]
    public void CopyFrom_AnotherGranularity_KeepsTheMeans()
    {
        var source = Window();
        for (int t = 0; t < 60; t += 10)
        {
            source.Record(T0.AddSeconds(t), t);
        }

        var copy = new MetricWindow(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5));
        copy.CopyFrom(source);

        Assert.Equal(25.0, copy.Read(T0.AddSeconds(50)).Stable.Total); // (0 + 10 + ... + 50) / 6
    }

    [Fact]
    public void Record_BucketIndexesOutgrowAnInt_RebasedAndStillRight()
    {
        // One-tick buckets make int.MaxValue buckets 215 s of samples every 500 ticks, never leaving a gap.
        var tick = TimeSpan.FromTicks(1);
        var window = new MetricWindow(TimeSpan.FromTicks(1000), TimeSpan.FromTicks(1000), TimeSpan.FromTicks(1000), tick);
        int i = 0;
        for (long t = 0; t <= int.MaxValue + 10_000L; t += 500, i++)
        {
            Assert.True(window.Record(T0.AddTicks(t), i));
            if (t > int.MaxValue - 10_000L)
            {
                var r = window.Read(T0.AddTicks(t));
                Assert.Equal((2, i - 0.5), (r.Stable.Samples, r.Stable.Total)); // this sample and the one before
            }
        }
    }
}
