using AIBrix.Gateway.Core.Routing.KvEvents;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

public class PodBlocksTests
{
    private static (KvBlockIndex Index, Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock) Index(int maxBlocks = 1000, int resyncSeconds = 10)
    {
        var clock = Clock();
        return (new KvBlockIndex(new KvBlockIndexOptions { MaxBlocksPerPod = maxBlocks, ResyncPeriod = TimeSpan.FromSeconds(resyncSeconds) }, clock), clock);
    }

    [Theory]
    // stored, removed, query -> expected leading match
    [InlineData(new ulong[] { 1, 2, 3 }, new ulong[0], new ulong[] { 1, 2, 3, 4 }, 3)]
    [InlineData(new ulong[] { 1, 2, 3 }, new ulong[] { 2 }, new ulong[] { 1, 2, 3 }, 1)]
    [InlineData(new ulong[] { 2, 3 }, new ulong[0], new ulong[] { 1, 2, 3 }, 0)]
    [InlineData(new ulong[] { 1, 2 }, new ulong[] { 9 }, new ulong[] { 1, 2 }, 2)]
    [InlineData(new ulong[0], new ulong[0], new ulong[] { 1 }, 0)]
    public void MatchPrefix_AfterStoredAndRemoved_CountsTheLeadingChain(ulong[] stored, ulong[] removed, ulong[] query, int expected)
    {
        var (index, _) = Index();
        var pod = index.ForPod("p0");
        pod.MarkLive();
        pod.Stored(stored);
        pod.Removed(removed);

        Assert.True(index.TryMatch("p0", query, out int blocks));
        Assert.Equal(expected, blocks);
        Assert.Equal(stored.Length - removed.Count(stored.Contains), pod.Count);
    }

    [Fact]
    public void TryMatch_PodThatNeverPublished_FallsBackToTheEstimate()
    {
        var (index, _) = Index();
        index.ForPod("p0"); // subscribed, but no batch yet

        Assert.False(index.TryMatch("p0", [1], out _));
        Assert.False(index.TryMatch("unknown", [1], out _));
    }

    [Fact]
    public void Cleared_DropsEveryBlockButStaysFresh()
    {
        var (index, _) = Index();
        var pod = index.ForPod("p0");
        pod.Stored([1, 2, 3]);

        pod.Cleared();

        Assert.Equal(0, pod.Count);
        Assert.True(index.TryMatch("p0", [1], out int blocks));
        Assert.Equal(0, blocks);
    }

    [Fact]
    public void Stored_BeyondTheCap_EvictsTheLeastRecentlyStored()
    {
        var (index, _) = Index(maxBlocks: 3);
        var pod = index.ForPod("p0");
        pod.Stored([1, 2, 3]);
        pod.Stored([1]); // 1 is used again: 2 is now the oldest

        pod.Stored([4, 5]);

        Assert.Equal(3, pod.Count);
        Assert.Equal(2, pod.Evicted);
        Assert.True(pod.Contains(1));
        Assert.False(pod.Contains(2));
        Assert.False(pod.Contains(3));
        Assert.True(pod.Contains(4));
        Assert.True(pod.Contains(5));
    }

    [Fact]
    public void Stored_ManyMoreThanTheCap_NeverHoldsMore()
    {
        var (index, _) = Index(maxBlocks: 100);
        var pod = index.ForPod("p0");
        for (ulong h = 0; h < 10_000; h++)
        {
            pod.Stored([h]);
            if (h % 3 == 0)
            {
                pod.Removed([h - 1]);
            }
        }

        Assert.True(pod.Count <= 100);
        Assert.True(pod.Contains(9_999));
        Assert.False(pod.Contains(0));
    }

    [Fact]
    public void Resync_DropsThePodAndUsesTheEstimateUntilThePeriodPasses()
    {
        var (index, clock) = Index(resyncSeconds: 10);
        var pod = index.ForPod("p0");
        pod.Stored([1, 2]);

        pod.Resync(); // a gap: what was stored or removed meanwhile is unknown
        pod.Stored([7]);

        Assert.Equal(1, pod.Resyncs);
        Assert.False(index.TryMatch("p0", [1], out _));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(index.TryMatch("p0", [7], out int blocks));
        Assert.Equal(1, blocks);
        Assert.True(index.TryMatch("p0", [1], out blocks));
        Assert.Equal(0, blocks);
    }

    [Fact]
    public void Options_Invalid_ListsEveryError()
    {
        var errors = new KvBlockIndexOptions { MaxBlocksPerPod = 0, ResyncPeriod = TimeSpan.FromSeconds(-1) }.Validate();

        Assert.Equal(2, errors.Count);
    }
}
