using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

/// <summary>
/// The one-walk match over all candidates (<see cref="KvBlockIndex.MatchAll"/>, through the index's hash → pods
/// map) must say exactly what each pod's own chain walk (<see cref="KvBlockIndex.TryMatch"/>) says.
/// </summary>
public class KvBlockIndexMatchAllTests
{
    private static int[] MatchAll(KvBlockIndex index, Endpoint[] pods, ulong[] query)
    {
        var blocks = new int[pods.Length];
        index.MatchAll(pods, query, blocks);
        return blocks;
    }

    private static int[] PerPod(KvBlockIndex index, Endpoint[] pods, ulong[] query) =>
        [.. pods.Select(p => index.TryMatch(p.Name, query, out int b) ? b : -1)];

    [Theory]
    [InlineData(3, 1)]
    [InlineData(70, 2)] // more pods than one word of bits
    [InlineData(130, 3)]
    public void MatchAll_AfterRandomEvents_EqualsEachPodsOwnWalk(int podCount, int seed)
    {
        var clock = Clock();
        var index = new KvBlockIndex(new KvBlockIndexOptions { MaxBlocksPerPod = 40, ResyncPeriod = TimeSpan.FromSeconds(5) }, clock);
        var pods = Pods(podCount, clock);
        var random = new Random(seed);
        ulong[] chain = [.. Enumerable.Range(1, 30).Select(i => (ulong)i)];
        for (int step = 0; step < 3000; step++)
        {
            var pod = index.ForPod(pods[random.Next(podCount)].Name);
            int from = random.Next(chain.Length), length = random.Next(1, 8);
            var span = chain.AsSpan(from, Math.Min(length, chain.Length - from));
            switch (random.Next(20))
            {
                case < 12: pod.Stored(span); break;
                case < 18: pod.Removed(span); break;
                case 18: pod.Cleared(); break;
                default: pod.Resync(); break;
            }

            if (step % 100 == 0)
            {
                clock.Advance(TimeSpan.FromSeconds(2));
                var query = chain.AsSpan(0, random.Next(chain.Length + 1)).ToArray();
                Assert.Equal(PerPod(index, pods, query), MatchAll(index, pods, query));
            }
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(PerPod(index, pods, chain), MatchAll(index, pods, chain));
    }

    [Fact]
    public void MatchAll_PodsWithoutEventsOrResyncing_AreMinusOne()
    {
        var clock = Clock();
        var index = new KvBlockIndex(null, clock);
        var pods = Pods(3, clock);
        index.ForPod("p0").Stored([1, 2]);
        index.ForPod("p1").Stored([1]);
        index.ForPod("p1").Resync();

        Assert.Equal([2, -1, -1], MatchAll(index, pods, [1, 2, 3]));
    }

    [Fact]
    public void RemovePod_ItsNumberReusedByANewPod_TheNewPodInheritsNothing()
    {
        var clock = Clock();
        var index = new KvBlockIndex(null, clock);
        var pods = Pods(2, clock);
        var old = index.ForPod("p0");
        old.Stored([1, 2, 3]);
        index.RemovePod("p0");
        old.Stored([4]); // a late batch from the old subscriber touches nothing shared

        index.ForPod("p1").Stored([4]); // takes the number p0 left
        index.ForPod("p0").MarkLive(); // a new pod of the old name

        Assert.Equal([0, 0], MatchAll(index, pods, [1, 2, 3]));
        Assert.Equal([0, 1], MatchAll(index, pods, [4]));
    }

    [Fact]
    public async Task MatchAll_WhileSubscribersWrite_NeverThrowsAndEndsConsistent()
    {
        var clock = Clock();
        var index = new KvBlockIndex(new KvBlockIndexOptions { MaxBlocksPerPod = 500 }, clock);
        var pods = Pods(8, clock);
        ulong[] chain = [.. Enumerable.Range(1, 64).Select(i => (ulong)i)];
        using var stop = new CancellationTokenSource();
        var writers = pods.Select((p, n) => Task.Run(() =>
        {
            var random = new Random(n);
            var blocks = index.ForPod(p.Name);
            for (int i = 0; i < 20_000; i++)
            {
                int from = random.Next(chain.Length);
                var span = chain.AsSpan(from, Math.Min(4, chain.Length - from));
                if (random.Next(3) == 0)
                {
                    blocks.Removed(span);
                }
                else
                {
                    blocks.Stored(span);
                }
            }
        })).ToArray();
        var reader = Task.Run(() =>
        {
            var blocks = new int[pods.Length];
            int reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                index.MatchAll(pods, chain, blocks);
                Assert.All(blocks, b => Assert.InRange(b, -1, chain.Length));
                reads++;
            }
        });

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(PerPod(index, pods, chain), MatchAll(index, pods, chain));
    }
}
