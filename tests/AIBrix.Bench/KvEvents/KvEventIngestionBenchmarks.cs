using AIBrix.KvEvents;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.KvEvents;

/// <summary>
/// Decoding vLLM KV event batches as a gateway subscriber does, per block event (one block hash stored or
/// removed). Each of 256 batches is one busy engine step in vLLM's current layout (map events): 8 requests each
/// filled 4 blocks of 16 tokens (BlockStored with token ids) and 32 cached blocks were evicted (one
/// BlockRemoved), 64 block events. <c>Decode</c> skips token ids, as a hash index does; <c>DecodeIntoIndex</c>
/// also applies every event to a hash set, the least a precise index must do.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KvEventIngestionBenchmarks
{
    private const int Batches = 256;
    private const int BlockEventsPerBatch = 8 * 4 + 32;

    private readonly KvEventDecoder _decoder = new();
    private readonly CountingVisitor _counter = new(wantsTokens: false);
    private readonly CountingVisitor _counterWithTokens = new(wantsTokens: true);
    private readonly IndexVisitor _index = new();
    private byte[][] _payloads = [];

    [Params(KvEventEncoding.Map, KvEventEncoding.Array)]
    public KvEventEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var encoder = new KvEventEncoder(Encoding);
        ulong NextHash() => (ulong)random.NextInt64() | 1UL << 63; // vLLM's hashes use all 64 bits: msgpack uint64
        _payloads = new byte[Batches][];
        for (int b = 0; b < Batches; b++)
        {
            var events = new List<KvCacheEvent>();
            for (int r = 0; r < 8; r++)
            {
                ulong[] hashes = [NextHash(), NextHash(), NextHash(), NextHash()];
                int[] tokens = [.. Enumerable.Range(0, 64).Select(_ => random.Next(128_000))];
                events.Add(new BlockStored(hashes, NextHash(), tokens, 16));
            }

            events.Add(new BlockRemoved([.. Enumerable.Range(0, 32).Select(_ => NextHash())]));
            _payloads[b] = encoder.Encode(new KvEventBatch(1_767_225_600 + b * 0.01, events, 0));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batches * BlockEventsPerBatch)]
    public long Decode() => DecodeAll(_counter);

    [Benchmark(OperationsPerInvoke = Batches * BlockEventsPerBatch)]
    public long DecodeWithTokenIds() => DecodeAll(_counterWithTokens);

    [Benchmark(OperationsPerInvoke = Batches * BlockEventsPerBatch)]
    public long DecodeIntoIndex()
    {
        _index.Clear();
        foreach (byte[] payload in _payloads)
        {
            _decoder.TryDecode(payload, _index, out _);
        }

        return _index.Count;
    }

    private long DecodeAll(CountingVisitor visitor)
    {
        visitor.Blocks = 0;
        foreach (byte[] payload in _payloads)
        {
            _decoder.TryDecode(payload, visitor, out _);
        }

        return visitor.Blocks;
    }

    private sealed class CountingVisitor(bool wantsTokens) : IKvEventVisitor
    {
        public long Blocks { get; set; }

        public bool WantsTokenIds => wantsTokens;

        public void OnBatchStart(double timestamp)
        {
        }

        public void OnBlockStored(in BlockStoredView stored) => Blocks += stored.BlockHashes.Length;

        public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium) => Blocks += blockHashes.Length;

        public void OnAllBlocksCleared()
        {
        }

        public void OnBatchEnd(int? dataParallelRank)
        {
        }
    }

    private sealed class IndexVisitor : IKvEventVisitor
    {
        private readonly HashSet<ulong> _cached = new(Batches * 64);

        public int Count => _cached.Count;

        public bool WantsTokenIds => false;

        public void Clear() => _cached.Clear();

        public void OnBatchStart(double timestamp)
        {
        }

        public void OnBlockStored(in BlockStoredView stored)
        {
            foreach (ulong hash in stored.BlockHashes)
            {
                _cached.Add(hash);
            }
        }

        public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium)
        {
            foreach (ulong hash in blockHashes)
            {
                _cached.Remove(hash);
            }
        }

        public void OnAllBlocksCleared() => _cached.Clear();

        public void OnBatchEnd(int? dataParallelRank)
        {
        }
    }
}
