using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.Tests.Runtime;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(50, 60)]
    public void Backoff_Delay_DoublesFromBaseAndStopsAtCap(int attempt, int seconds)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(seconds), backoff.Delay(attempt));
    }

    [Fact]
    public void Backoff_Jitter_StaysWithinTheBandAndVaries()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2);
        var random = new Random(3);
        var delays = Enumerable.Range(0, 50).Select(_ => backoff.Delay(2, random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 1600, 2400));
        Assert.True(delays.Distinct().Count() > 10);
    }
}
