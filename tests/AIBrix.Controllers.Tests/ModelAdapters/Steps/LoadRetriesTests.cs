using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class LoadRetriesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fail_EachFailure_CountsAndBacksOffLonger()
    {
        var retries = new LoadRetries(new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)));

        Assert.False(retries.IsWaiting("ns/a", T0, out _));
        Assert.Equal(1, retries.Fail("ns/a", T0));
        Assert.True(retries.IsWaiting("ns/a", T0.AddSeconds(1), out var left));
        Assert.Equal(TimeSpan.FromSeconds(4), left);
        Assert.False(retries.IsWaiting("ns/a", T0.AddSeconds(5), out _));

        Assert.Equal(2, retries.Fail("ns/a", T0.AddSeconds(5)));
        Assert.True(retries.IsWaiting("ns/a", T0.AddSeconds(14), out left));
        Assert.Equal(TimeSpan.FromSeconds(1), left);
        Assert.False(retries.IsWaiting("ns/b", T0.AddSeconds(14), out _));
    }

    [Fact]
    public void Forget_AfterFailures_StartsCountingAgain()
    {
        var retries = new LoadRetries(new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)));
        retries.Fail("ns/a", T0);
        retries.Fail("ns/a", T0);

        retries.Forget("ns/a");

        Assert.False(retries.IsWaiting("ns/a", T0, out _));
        Assert.Equal(1, retries.Fail("ns/a", T0));
    }
}
