using AIBrix.KvEvents;

namespace AIBrix.EngineSim.Tests.Http;

/// <summary>A real subscriber on the simulator's ZeroMQ event stream while HTTP load fills and churns its cache.</summary>
public sealed class KvEventsPublishingTests
{
    /// <summary>Rebuilds the engine's cached set from the stream, as a precise prefix index would.</summary>
    private sealed class CacheMirror : IKvEventStreamHandler
    {
        private readonly Lock _gate = new();
        private readonly HashSet<ulong> _cached = [];

        public int Stored { get; private set; }
        public int Removed { get; private set; }
        public int Cleared { get; private set; }
        public int Problems { get; private set; }
        public double LastTimestamp { get; private set; }
        public string? Medium { get; private set; }

        public bool WantsTokenIds => false;

        public HashSet<ulong> Snapshot()
        {
            lock (_gate)
            {
                return [.. _cached];
            }
        }

        public void OnBatchStart(double timestamp) => LastTimestamp = timestamp;

        public void OnBlockStored(in BlockStoredView stored)
        {
            lock (_gate)
            {
                foreach (ulong h in stored.BlockHashes)
                {
                    _cached.Add(h);
                }

                Stored += stored.BlockHashes.Length;
                Medium = stored.Medium;
            }
        }

        public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium)
        {
            lock (_gate)
            {
                foreach (ulong h in blockHashes)
                {
                    _cached.Remove(h);
                }

                Removed += blockHashes.Length;
            }
        }

        public void OnAllBlocksCleared()
        {
            lock (_gate)
            {
                _cached.Clear();
                Cleared++;
            }
        }

        public void OnBatchEnd(int? dataParallelRank)
        {
        }

        public void OnGap(long from, long to) => Problems++;

        public void OnPublisherRestarted(long sequence) => Problems++;

        public void OnMalformed(long sequence, string error) => Problems++;
    }

    private static bool Eventually(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until && !condition())
        {
            Thread.Sleep(20);
        }

        return condition();
    }

    [Theory]
    [InlineData("map")]
    [InlineData("array")]
    public async Task Subscriber_UnderLoadWithEvictions_MirrorsTheEnginesCache(string encoding)
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0, TimeScale = 200, NumGpuBlocks = 64, MaxModelLen = 1024, KvEventsPort = 0, KvEventsReplayPort = 0,
            KvEventsEncoding = encoding == "map" ? KvEventEncoding.Map : KvEventEncoding.Array,
        });
        var instance = sim.Instances[0];
        var mirror = new CacheMirror();
        using var subscriber = new KvEventSubscriber(new KvEventSubscriberOptions
        {
            Endpoint = instance.KvEventsEndpoint!, ReplayEndpoint = instance.KvEventsReplayEndpoint, ExpectedFirstSequence = 0,
        }, mirror);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // 40 requests of 3 shared blocks plus a private tail, 4 at a time: 64 blocks cannot keep them all.
        for (int wave = 0; wave < 10; wave++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                int n = wave * 4 + i;
                var ids = Enumerable.Range(1, 48).Concat(Enumerable.Range(10_000 + n * 300, 150));
                var (status, _) = await Http.PostAsync(client, "/v1/completions",
                    $$"""{"model":"{{SimulatorFixture.Model}}","prompt":[{{string.Join(',', ids)}}],"max_tokens":4}""");
                Assert.Equal(200, status);
            }));
        }

        // A late batch may still be on its way: wait until the mirror has caught up with the engine.
        Assert.True(Eventually(() => mirror.Snapshot().SetEquals(instance.CachedBlockHashes())), "the mirror never matched the engine's cache");
        Assert.True(mirror.Removed > 0, "the load must evict");
        Assert.True(mirror.Stored > 64, $"stored {mirror.Stored}");
        Assert.Equal(0, mirror.Problems);
        Assert.Equal("GPU", mirror.Medium);
        Assert.InRange(mirror.LastTimestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());

        using var reset = await client.PostAsync("/reset_prefix_cache", null);
        Assert.Equal(200, (int)reset.StatusCode);
        Assert.True(Eventually(() => mirror.Cleared == 1 && mirror.Snapshot().Count == 0), "AllBlocksCleared never arrived");
    }

    [Fact]
    public async Task Start_NoKvEventsPort_PublishesNothing()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });

        Assert.Null(sim.Instances[0].KvEventsEndpoint);
        Assert.Null(sim.Instances[0].KvEventsReplayEndpoint);
    }

    [Fact]
    public async Task Start_TwoInstances_EachItsOwnEndpoints()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, KvEventsPort = 0, KvEventsReplayPort = 0 });

        string?[] endpoints = [sim.Instances[0].KvEventsEndpoint, sim.Instances[1].KvEventsEndpoint, sim.Instances[0].KvEventsReplayEndpoint, sim.Instances[1].KvEventsReplayEndpoint];
        Assert.All(endpoints, e => Assert.StartsWith("tcp://127.0.0.1:", e, StringComparison.Ordinal));
        Assert.Equal(4, endpoints.Distinct().Count());
    }
}
