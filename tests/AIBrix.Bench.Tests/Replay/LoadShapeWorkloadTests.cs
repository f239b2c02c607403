using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Replay;

public sealed class LoadShapeWorkloadTests
{
    private static int Between(IReadOnlyList<TraceRequest> trace, double from, double to) =>
        trace.Count(r => r.ArrivalSeconds >= from && r.ArrivalSeconds < to);

    [Fact]
    public void Burst_Uniform_HighRateOnlyInsideTheBursts()
    {
        var trace = TraceReader.Read("gen:burst?low=1&high=10&start=100&on=50&period=200&duration=400&arrival=uniform");

        Assert.InRange(Between(trace, 0, 100), 99, 101);    // quiet start at 1/s
        Assert.InRange(Between(trace, 100, 150), 499, 502); // first burst at 10/s
        Assert.InRange(Between(trace, 150, 300), 149, 152); // low again
        Assert.InRange(Between(trace, 300, 350), 499, 502); // second burst
        Assert.True(trace.Zip(trace.Skip(1)).All(p => p.First.ArrivalSeconds <= p.Second.ArrivalSeconds));
    }

    [Fact]
    public void Ramp_Poisson_RateGrowsLinearly()
    {
        var trace = TraceReader.Read("gen:ramp?from=0&to=20&duration=1000&seed=3");

        // Expected 2,500 requests in the first half (mean 5/s), 7,500 in the second (mean 15/s).
        Assert.InRange(Between(trace, 0, 500), 2350, 2650);
        Assert.InRange(Between(trace, 500, 1000), 7200, 7800);
    }

    [Fact]
    public void Diurnal_PeaksHalfAPeriodIn()
    {
        var trace = TraceReader.Read("gen:diurnal?low=1&high=11&period=600&duration=600&arrival=uniform");

        Assert.True(Between(trace, 275, 325) > 5 * Between(trace, 0, 50));
        Assert.InRange(trace.Count, 3500, 3700); // mean rate 6/s over 600 s
    }

    [Fact]
    public void Generate_SameSeedSameTrace_TokensWithinSpread()
    {
        var a = TraceReader.Read("gen:burst?seed=5&input=1000&output=100&spread=0.2&duration=300");
        var b = TraceReader.Read("gen:burst?seed=5&input=1000&output=100&spread=0.2&duration=300");

        Assert.Equal(a.Select(r => (r.ArrivalSeconds, r.InputTokens, r.OutputTokens)), b.Select(r => (r.ArrivalSeconds, r.InputTokens, r.OutputTokens)));
        Assert.All(a, r => Assert.InRange(r.InputTokens, 800, 1200));
        Assert.All(a, r => Assert.InRange(r.OutputTokens, 80, 120));
        Assert.All(a, r => Assert.Equal((r.InputTokens + 511) / 512, r.BlockIds.Length));
    }

    [Theory]
    [InlineData("gen:ramp?period=10", "unknown key(s) period")]
    [InlineData("gen:burst?on=500&period=100", "longer than period")]
    [InlineData("gen:diurnal?low=0&high=0", "rate is zero")]
    [InlineData("gen:burst?spread=2", "at most 0.9")]
    [InlineData("gen:burst?high=-1", "high=-1")]
    public void Generate_BadSpec_ExplainsWhat(string spec, string expected)
    {
        var e = Assert.ThrowsAny<FormatException>(() => TraceReader.Read(spec));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
