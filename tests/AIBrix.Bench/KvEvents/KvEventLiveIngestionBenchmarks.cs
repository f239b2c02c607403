using System.Diagnostics;
using AIBrix.Bench.Limits;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.KvEvents;
using AIBrix.KvEvents;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.KvEvents;

/// <summary>
/// KV events through the live gateway's path, per block event: a <see cref="ZmqKvEventPublisher"/> (the simulator's)
/// encodes and sends 256 busy-step batches (64 block events each, as in <see cref="KvEventIngestionBenchmarks"/>)
/// over loopback TCP; the gateway's <see cref="KvEventSubscriber"/> decodes them into a <see cref="PodBlocksFeed"/>
/// and its <see cref="KvBlockIndex"/>; one operation ends when the last batch is applied. Both ends in this process,
/// so the publisher's encoding shares the machine with the subscriber.
/// </summary>
[MedianColumn]
public class KvEventLiveIngestionBenchmarks
{
    private const int Batches = 256;
    private const int BlockEventsPerBatch = 8 * 4 + 32;

    private ZmqKvEventPublisher _publisher = null!;
    private KvEventSubscriber _subscriber = null!;
    private KvBlockIndex _index = null!;
    private KvEventBatch[] _batches = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        ulong NextHash() => (ulong)random.NextInt64() | 1UL << 63;
        _batches = new KvEventBatch[Batches];
        for (int b = 0; b < Batches; b++)
        {
            var events = new List<KvCacheEvent>();
            for (int r = 0; r < 8; r++)
            {
                events.Add(new BlockStored([NextHash(), NextHash(), NextHash(), NextHash()], NextHash(), [.. Enumerable.Range(0, 64).Select(_ => random.Next(128_000))], 16));
            }

            events.Add(new BlockRemoved([.. Enumerable.Range(0, 32).Select(_ => NextHash())]));
            _batches[b] = new KvEventBatch(1_767_225_600 + b * 0.01, events, 0);
        }

        int port = LocalRedis.FreePort();
        _publisher = new ZmqKvEventPublisher(new KvEventPublisherOptions { Endpoint = $"tcp://127.0.0.1:{port}" });
        _index = new KvBlockIndex();
        _subscriber = new KvEventSubscriber(new KvEventSubscriberOptions { Endpoint = $"tcp://127.0.0.1:{port}" }, new PodBlocksFeed(_index, "pod"));
        // ZeroMQ's slow joiner: publish until the subscriber hears one.
        var deadline = Stopwatch.StartNew();
        while (_subscriber.Stats.Batches == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("the subscriber never connected");
            }

            _publisher.Publish(_batches[0]);
            Thread.Sleep(10);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subscriber.Dispose();
        _publisher.Dispose();
    }

    /// <summary>Publishes every batch and waits until the subscriber applied the last one.</summary>
    [Benchmark(OperationsPerInvoke = Batches * BlockEventsPerBatch)]
    public long PublishToIndex()
    {
        long target = _subscriber.Stats.Batches + Batches;
        foreach (var batch in _batches)
        {
            _publisher.Publish(batch);
        }

        var waited = Stopwatch.StartNew();
        while (_subscriber.Stats.Batches < target)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"only {_subscriber.Stats.Batches} of {target} batches arrived (high-water mark?)");
            }

            Thread.Sleep(1); // leave the cores to the publisher's and the subscriber's threads
        }

        return _index.PodCount;
    }
}
