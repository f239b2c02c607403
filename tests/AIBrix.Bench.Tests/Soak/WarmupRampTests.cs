using AIBrix.Bench.Soak;

namespace AIBrix.Bench.Tests.Soak;

/// <summary>The warm-up's ramp: when each request is due, and how many the warm-up sends.</summary>
public sealed class WarmupRampTests
{
    [Fact]
    public void Due_NoWarmup_IsIndexOverRate()
    {
        Assert.Equal([0.0, 0.01, 0.5, 2.0], new long[] { 0, 1, 50, 200 }.Select(i => WarmupRamp.Due(i, 100, 0)));
    }

    [Fact]
    public void Due_RampOf60SecondsTo500PerSecond_StartsAtATenthAndEndsAtTheRate()
    {
        const double Rate = 500, Warmup = 60;
        long count = WarmupRamp.WarmupCount(Rate, Warmup);
        double[] due = [.. Enumerable.Range(0, (int)count + 1000).Select(i => WarmupRamp.Due(i, Rate, Warmup))];

        Assert.Equal(16_500, count); // 60 s × (50 + 500) / 2
        Assert.Equal(-60, due[0], 9);
        Assert.True(due[(int)count - 1] < 0 && due[(int)count] >= 0);
        Assert.All(due.Zip(due.Skip(1)), p => Assert.True(p.Second > p.First, $"{p.First} then {p.Second}"));
        // The offered rate: about 50/s over the first second, about 500/s over the last of the warm-up and after it.
        Assert.InRange(due.Count(d => d < -59), 50, 55);
        Assert.InRange(due.Count(d => d is >= -1 and < 0), 490, 500);
        Assert.Equal(500, due.Count(d => d is >= 0 and < 1));
    }

    [Theory]
    [InlineData(-60, 50)]
    [InlineData(-30, 275)]
    [InlineData(-0.001, 499.99)]
    [InlineData(10, 500)]
    public void RateAt_ClimbsLinearlyToTheRate(double seconds, double expected)
    {
        Assert.Equal(expected, WarmupRamp.RateAt(seconds, 500, 60), 2);
    }

    [Fact]
    public void Due_EveryIndexOfTheWarmup_MatchesTheRampsArea()
    {
        // Request i is due when the area under the ramp from its start reaches i.
        foreach (long i in new long[] { 1, 100, 5_000, 16_499 })
        {
            double t = WarmupRamp.Due(i, 500, 60) + 60;
            double area = (50 * t) + (450 * t * t / 120);
            Assert.Equal(i, area, 6);
        }
    }
}
