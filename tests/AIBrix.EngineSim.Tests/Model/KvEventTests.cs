using AIBrix.KvEvents;

namespace AIBrix.EngineSim.Tests.Model;

/// <summary>The engine model's KV event stream in virtual time: the events replay exactly the cache's contents.</summary>
public sealed class KvEventTests
{
    private static int[] Tokens(int count, int salt) =>
        [.. Enumerable.Range(0, count).Select(i => 1000 + (int)((uint)(i * 2654435761u + salt * 40503u) % 100_000u))];

    /// <summary>Applies events to a set, checking each store's parent is cached when the store happens.</summary>
    private sealed class Mirror
    {
        public HashSet<ulong> Cached { get; } = [];
        public List<KvEventBatch> Batches { get; } = [];
        public int Stored { get; private set; }
        public int Removed { get; private set; }
        public int Cleared { get; private set; }

        public void Apply(long sequence, KvEventBatch batch)
        {
            Assert.Equal(Batches.Count, sequence);
            Batches.Add(batch);
            foreach (var e in batch.Events)
            {
                switch (e)
                {
                    case BlockStored s:
                        Assert.True(s.ParentBlockHash is null || Cached.Contains(s.ParentBlockHash.Value), "a stored block's parent is cached");
                        Assert.Equal(s.BlockHashes.Length * 16, s.TokenIds.Length);
                        foreach (ulong h in s.BlockHashes)
                        {
                            Assert.True(Cached.Add(h), "stored twice without a removal");
                        }

                        Stored += s.BlockHashes.Length;
                        break;
                    case BlockRemoved r:
                        foreach (ulong h in r.BlockHashes)
                        {
                            Assert.True(Cached.Remove(h), "removed a block that was not stored");
                        }

                        Removed += r.BlockHashes.Length;
                        break;
                    case AllBlocksCleared:
                        Cached.Clear();
                        Cleared++;
                        break;
                }
            }
        }
    }

    private static (EngineModel Model, Mirror Mirror) Engine(int blocks)
    {
        var model = new EngineModel(new EngineConfig { NumGpuBlocks = blocks, EmitTokenEvents = false });
        var stream = new InProcessKvEventStream();
        var mirror = new Mirror();
        stream.Subscribe(mirror.Apply);
        model.KvEvents = stream;
        return (model, mirror);
    }

    private static HashSet<ulong> CachedNow(EngineModel model)
    {
        var set = new HashSet<ulong>();
        model.CopyCachedBlockHashes(set);
        return set;
    }

    [Fact]
    public void KvEvents_RandomLoadUnderCachePressure_MirrorEqualsTheCacheAfterEveryStep()
    {
        var (model, mirror) = Engine(blocks: 400);
        var rng = new Random(11);
        double t = 0;
        for (int i = 0; i < 300; i++)
        {
            t += rng.NextDouble() * 0.05;
            // A few shared system prompts plus a private tail: hits, duplicates and evictions all happen.
            int[] prompt = [.. Tokens(16 * (1 + rng.Next(6)), rng.Next(4)), .. Tokens(rng.Next(1, 200), 1000 + i)];
            model.Submit(new EngineRequest { PromptTokens = prompt, OutputTokens = 1 + rng.Next(30), LoraAdapter = rng.Next(5) == 0 ? "a" : null }, t);
            Assert.Equal(CachedNow(model), mirror.Cached);
        }

        while (!double.IsPositiveInfinity(model.NextEventTime))
        {
            model.AdvanceTo(model.NextEventTime);
            Assert.Equal(CachedNow(model), mirror.Cached);
        }

        Assert.True(mirror.Removed > 0, "the workload must evict");
        Assert.Equal(model.Evictions, mirror.Removed);
        Assert.Equal(mirror.Stored - mirror.Removed, model.CachedBlockCount);
        Assert.True(mirror.Batches.Zip(mirror.Batches.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp), "batches in time order");
    }

    [Fact]
    public void KvEvents_OnePrompt_OneStoredEventChainedFromNothing()
    {
        var (model, mirror) = Engine(blocks: 100);
        int[] prompt = Tokens(16 * 3 + 5, 1);

        model.Submit(new EngineRequest { PromptTokens = prompt, OutputTokens = 2, LoraAdapter = "sql-lora" }, 0);
        model.AdvanceTo(10);

        var stored = Assert.IsType<BlockStored>(Assert.Single(mirror.Batches.SelectMany(b => b.Events)));
        Assert.Equal(PrefixHasher.BlockHashes(prompt, 16, PrefixHasher.ChainSeed("sql-lora")), stored.BlockHashes);
        Assert.Null(stored.ParentBlockHash);
        Assert.Equal(prompt.AsSpan(0, 48).ToArray(), stored.TokenIds);
        Assert.Equal(("sql-lora", "GPU", 16), (stored.LoraName, stored.Medium, stored.BlockSize));
    }

    [Fact]
    public void KvEvents_ChunkedPrefill_LaterChunksNameTheirParent()
    {
        var (model, mirror) = Engine(blocks: 2000);
        int[] prompt = Tokens(20_000, 3); // longer than one step's 8,192-token budget

        model.Submit(new EngineRequest { PromptTokens = prompt, OutputTokens = 1 }, 0);
        model.AdvanceTo(100);

        var stores = mirror.Batches.SelectMany(b => b.Events).Cast<BlockStored>().ToList();
        var hashes = PrefixHasher.BlockHashes(prompt, 16, 0);
        Assert.True(stores.Count > 1);
        Assert.Equal(hashes, stores.SelectMany(s => s.BlockHashes));
        Assert.All(stores.Skip(1), s => Assert.Equal(hashes[Array.IndexOf(hashes, s.BlockHashes[0]) - 1], s.ParentBlockHash));
    }

    [Fact]
    public void ResetPrefixCache_Idle_ClearsAndPublishesAllBlocksCleared()
    {
        var (model, mirror) = Engine(blocks: 100);
        model.Submit(new EngineRequest { PromptTokens = Tokens(64, 1), OutputTokens = 50 }, 0);
        model.AdvanceTo(0.05);

        Assert.False(model.ResetPrefixCache()); // the request still holds its blocks
        model.AdvanceTo(100);
        Assert.True(model.ResetPrefixCache());

        Assert.Equal(0, model.CachedBlockCount);
        Assert.IsType<AllBlocksCleared>(mirror.Batches[^1].Events.Single());
        Assert.Empty(mirror.Cached);
    }

    [Fact]
    public void KvEvents_NoSink_SameSchedule()
    {
        var plain = new EngineModel(new EngineConfig { NumGpuBlocks = 300, EmitTokenEvents = false });
        var (withEvents, _) = Engine(blocks: 300);
        var events = (new List<EngineEvent>(), new List<EngineEvent>());
        for (int i = 0; i < 50; i++)
        {
            var prompt = Tokens(100 + i * 7, i % 3);
            plain.Submit(new EngineRequest { PromptTokens = prompt, OutputTokens = 20 }, i * 0.01);
            withEvents.Submit(new EngineRequest { PromptTokens = prompt, OutputTokens = 20 }, i * 0.01);
        }

        plain.AdvanceTo(100);
        withEvents.AdvanceTo(100);
        plain.DrainEvents(events.Item1);
        withEvents.DrainEvents(events.Item2);

        Assert.Equal(events.Item1.Select(e => (e.Kind, e.Time)), events.Item2.Select(e => (e.Kind, e.Time)));
    }
}
