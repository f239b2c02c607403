using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing.Prefix;

public class PrefixIndexTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    private PrefixIndex Index(int maxEntries = 10_000, int expirySeconds = 600) =>
        new(new PrefixCacheOptions { MaxEntries = maxEntries, Expiry = TimeSpan.FromSeconds(expirySeconds) }, _time);

    [Fact]
    public void Match_LongestHolderExact_OthersNeverOverstated()
    {
        var pods = Pods(3);
        var index = Index();
        index.Record([1, 2, 3], pods[0]);
        index.Record([1, 2], pods[1]);
        index.Record([9], pods[2]);
        var matched = new int[3];

        int longest = index.Match([1, 2, 3, 4], pods, matched);

        Assert.Equal(3, longest);
        Assert.Equal(3, matched[0]);
        Assert.InRange(matched[1], 1, 2); // a lower bound: only the longest holders are probed exactly
        Assert.Equal(0, matched[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(125)]
    public void Match_ChainOfAnyLength_FoundByBinarySearch(int held)
    {
        var pods = Pods(2);
        var index = Index();
        var chain = Enumerable.Range(1, 125).Select(i => (ulong)i).ToArray();
        index.Record(chain.AsSpan(0, held), pods[1]);
        var matched = new int[2];

        Assert.Equal(held, index.Match(chain, pods, matched));
        Assert.Equal([0, held], matched);
    }

    [Fact]
    public void Match_PodNotAmongCandidates_IsIgnored()
    {
        var pods = Pods(2);
        var index = Index();
        index.Record([7, 8], pods[1]);
        var matched = new int[1];

        Assert.Equal(0, index.Match([7, 8], pods.AsSpan(0, 1), matched));
    }

    [Fact]
    public void Record_SameBlockTwice_OneEntry()
    {
        var pods = Pods(1);
        var index = Index();

        index.Record([5, 6], pods[0]);
        index.Record([5, 6], pods[0]);

        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.HolderCount(5));
    }

    [Fact]
    public void Match_EntryPastExpiry_CountsAsAbsent()
    {
        var pods = Pods(1);
        var index = Index(expirySeconds: 60);
        index.Record([1, 2], pods[0]);

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(0, index.Match([1, 2], pods, new int[1]));
    }

    [Fact]
    public void Record_PastCapacity_EvictsLeastRecentlyUsedAndStaysBounded()
    {
        var pods = Pods(1);
        var index = Index(maxEntries: 16);
        for (ulong h = 1; h <= 16; h++)
        {
            index.Record([h * 1_000_003], pods[0]);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        index.Record([1 * 1_000_003], pods[0]); // touch the oldest: now the newest
        _time.Advance(TimeSpan.FromSeconds(1));
        index.Record([99 * 1_000_003], pods[0]);

        Assert.Equal(16, index.Count);
        Assert.Equal(1, index.HolderCount(1 * 1_000_003));
        Assert.Equal(0, index.HolderCount(2 * 1_000_003)); // the least recently used went
        Assert.Equal(1, index.HolderCount(99 * 1_000_003));
    }

    private static ulong[] Blocks(int i) => [(ulong)(i % 97) + 1, (ulong)(i % 997) + 1_000, (ulong)i + 1_000_000];

    [Fact]
    public void RecordAndMatch_ParallelFromManyThreads_NoEntryLostOrDoubled()
    {
        var pods = Pods(16);
        var index = Index(maxEntries: 200_000);
        var failures = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var hashes = Blocks(i);
            index.Record(hashes, pods[i % pods.Length]);
            var matched = new int[pods.Length];
            if (index.Match(hashes, pods, matched) != 3 || matched[i % pods.Length] != 3)
            {
                Interlocked.Increment(ref failures);
            }
        });

        var expected = Enumerable.Range(0, 20_000).SelectMany(i => Blocks(i).Select(h => (h, i % 16))).Distinct().Count();
        Assert.Equal(0, failures);
        Assert.Equal(expected, index.Count);
    }

    [Fact]
    public void RecordAndMatch_ParallelUnderEvictionPressure_StaysBoundedAndConsistent()
    {
        var pods = Pods(16);
        var index = Index(maxEntries: 5_000);
        var failures = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var hashes = Blocks(i);
            index.Record(hashes, pods[i % pods.Length]);
            var matched = new int[pods.Length];
            int longest = index.Match(hashes, pods, matched);
            if (longest > 3 || matched.Max() != longest)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
        Assert.InRange(index.Count, index.Capacity / 2, index.Capacity);
    }

    [Fact]
    public void Memory_PerTrackedEntry_AtMost32Bytes()
    {
        const int entries = 100_000;
        var pods = Pods(64);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var index = new PrefixIndex(new PrefixCacheOptions { MaxEntries = entries }, _time);
        var one = new ulong[1];
        for (int i = 0; i < entries; i++)
        {
            one[0] = (ulong)i * 0x9E37_79B9_7F4A_7C15;
            index.Record(one, pods[i % pods.Length]);
        }

        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(index.Count, entries * 0.99, entries); // shards fill unevenly: a few evicted early
        Assert.InRange(bytes / (double)index.Count, 1, 32);
    }
}
