using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Bench.Core;

/// <summary>Fleets of ready endpoints with varied loads and metrics, shared by the routing benchmarks.</summary>
internal static class BenchFleet
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A clock that stands still at <see cref="Now"/>, so scraped metrics stay fresh for the whole run.</summary>
    public static FakeTimeProvider FrozenClock() => new(Now);

    public static Endpoint[] Create(int count)
    {
        var registry = new EndpointRegistry();
        var specs = Enumerable.Range(0, count)
            .Select(i => new EndpointSpec($"pod-{i}", $"10.{i / 62500}.{i / 250 % 250}.{i % 250 + 1}:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []))
            .ToArray();
        registry.Apply(specs);
        var random = new Random(42);
        var histogram = new HistogramSnapshot([new HistogramBucket(0.1, 5), new HistogramBucket(double.PositiveInfinity, 10)], 1.0, 10);
        foreach (var spec in specs)
        {
            registry.OnScraped(spec.Name, new EngineMetricsSnapshot
            {
                Running = random.Next(0, 16),
                Waiting = random.Next(0, 4),
                KvCacheUsage = random.NextDouble(),
                CpuKvCacheUsage = random.NextDouble() / 4,
                QueueTime = histogram,
                TimeToFirstToken = histogram,
                TimePerOutputToken = histogram,
                EndToEndLatency = histogram,
            }, Now);
        }

        var endpoints = registry.Current.ReadyFor("llama").ToArray();
        foreach (var endpoint in endpoints)
        {
            for (int i = random.Next(0, 6); i > 0; i--)
            {
                endpoint.Acquire(random.Next(100, 4000)); // held for the whole run: varied in-flight loads
            }
        }

        return endpoints;
    }
}

/// <summary>Decision latency and allocation of the load-based policies at 8, 128 and 1,024 endpoints.</summary>
[MemoryDiagnoser]
public class LoadPolicyBenchmarks
{
    private Endpoint[] _candidates = null!;
    private IRoutingPolicy _policy = null!;
    private readonly RoutingRequest _request = new() { MaxTokens = 128 };

    [Params(8, 128, 1024)]
    public int Endpoints { get; set; }

    [Params("least-request", "throughput", "least-kv-cache", "least-gpu-cache", "least-busy-time", "least-latency", "power-of-two", "random")]
    public string Policy { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _candidates = BenchFleet.Create(Endpoints);
        var registry = RoutingPolicyRegistry.CreateDefault(null, time: BenchFleet.FrozenClock());
        if (!registry.TryGet(Policy, out _policy))
        {
            throw new InvalidOperationException(Policy);
        }
    }

    [Benchmark]
    public Endpoint Pick()
    {
        _request.Fallback = null;
        var target = _policy.Pick(_request, _candidates);
        return _request.Fallback is null ? target : throw new InvalidOperationException($"{Policy} fell back: {_request.Fallback}");
    }
}

/// <summary>
/// prefix-cache with a 16,000-character prompt (≈4,000 tokens; 125 blocks of 128 characters) at 64
/// endpoints, hashing included: the index holds a 32-block system prompt on every pod and each pod's
/// own conversation; the request continues pod 17's conversation.
/// </summary>
[MemoryDiagnoser]
public class PrefixCacheBenchmarks
{
    private Endpoint[] _candidates = null!;
    private IRoutingPolicy _prefix = null!;
    private IRoutingPolicy _preble = null!;
    private IRoutingPolicy _weighted = null!;
    private RoutingRequest _request = null!;
    private RoutingRequest _cold = null!;

    [Params(8, 64, 128, 1024)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _candidates = BenchFleet.Create(Endpoints);
        var registry = RoutingPolicyRegistry.CreateDefault(null, time: BenchFleet.FrozenClock());
        registry.TryGet(RoutingPolicies.PrefixCache, out _prefix);
        registry.TryGet(RoutingPolicies.PrefixCachePreble, out _preble);
        registry.TryGet("prefix-cache:2,least-request:1", out _weighted);
        string system = Text(4096, 'S');
        var feedback = (IRoutingFeedback)_prefix;
        for (int i = 0; i < _candidates.Length; i++)
        {
            feedback.OnRouted(new RoutingRequest { PromptText = system + Text(8000, (char)('a' + (i % 26))) + i }, _candidates[i]);
        }

        int hot = 17 % _candidates.Length;
        _request = new RoutingRequest { PromptText = system + Text(8000, (char)('a' + (hot % 26))) + hot + Text(4000, 'q') };
        _request.PromptText = _request.PromptText[..16_000];
        _cold = new RoutingRequest { PromptText = Text(16_000, 'z') };
    }

    [Benchmark]
    public Endpoint PrefixCacheWarm()
    {
        _request.ResetDecision(); // hash again every time: hashing is part of the decision
        return _prefix.Pick(_request, _candidates);
    }

    [Benchmark]
    public Endpoint PrefixCacheCold()
    {
        _cold.ResetDecision();
        return _prefix.Pick(_cold, _candidates);
    }

    [Benchmark]
    public Endpoint PrefixCachePreble()
    {
        _request.ResetDecision();
        return _preble.Pick(_request, _candidates);
    }

    [Benchmark]
    public Endpoint WeightedPrefixLeastRequest()
    {
        _request.ResetDecision();
        return _weighted.Pick(_request, _candidates);
    }

    private static string Text(int length, char seed)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)('a' + ((seed + (i * 7) + (i / 13)) % 26));
        }

        return new string(chars);
    }
}

/// <summary>Bytes allocated by a prefix index holding N (block, pod) entries, divided by N.</summary>
[MemoryDiagnoser]
public class PrefixIndexMemoryBenchmarks
{
    private const int Entries = 200_000;
    private readonly ulong[] _one = new ulong[1];
    private Endpoint[] _pods = null!;

    [GlobalSetup]
    public void Setup() => _pods = BenchFleet.Create(64);

    /// <summary>Builds an index at AIBrix's default cap and fills it; Allocated / 200,000 is bytes per entry.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int FillIndex()
    {
        var index = new PrefixIndex(new PrefixCacheOptions { MaxEntries = Entries });
        for (int i = 0; i < Entries; i++)
        {
            _one[0] = (ulong)i * 0x9E37_79B9_7F4A_7C15;
            index.Record(_one, _pods[i % _pods.Length]);
        }

        return index.Count;
    }
}

/// <summary>
/// The KV-event strategies' decision at 64 pods, every pod fresh with 20,000 event blocks and the request's
/// 2,000-token prompt (125 blocks) cached for half its length on every fourth pod; <c>WithHashing</c> includes
/// tokenizing and hashing the prompt as the engine does (once per request), the other reuses them. <c>Ingest</c>
/// applies 1,024 <c>BlockStored</c> hashes and removes them again (2,048 block events) on one pod.
/// </summary>
[MemoryDiagnoser]
public class KvEventPolicyBenchmarks
{
    private Endpoint[] _candidates = null!;
    private IRoutingPolicy _policy = null!;
    private RoutingRequest _request = null!;
    private Gateway.Core.Routing.KvEvents.PodBlocks _ingest = null!;
    private readonly ulong[] _batch = new ulong[1024];

    [Params(64)]
    public int Endpoints { get; set; }

    [Params("prefix-cache-events", "kv-cost")]
    public string Policy { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _candidates = BenchFleet.Create(Endpoints);
        var clock = BenchFleet.FrozenClock();
        var index = new Gateway.Core.Routing.KvEvents.KvBlockIndex(null, clock);
        var hasher = new AIBrix.Gateway.KvEvents.SimEngineBlockHasher();
        string prompt = string.Concat(Enumerable.Range(0, 2000).Select(i => $" w{i % 997:x3}"));
        _request = new RoutingRequest { PromptText = prompt, MaxTokens = 128 };
        var (hashes, _) = hasher.Hash(_request);
        var random = new Random(7);
        var filler = new ulong[20_000];
        for (int p = 0; p < _candidates.Length; p++)
        {
            var pod = index.ForPod(_candidates[p].Name);
            for (int i = 0; i < filler.Length; i++)
            {
                filler[i] = (ulong)random.NextInt64();
            }

            pod.Stored(filler);
            if (p % 4 == 0)
            {
                pod.Stored(hashes.AsSpan(0, hashes.Length / 2));
            }
        }

        var registry = RoutingPolicyRegistry.CreateDefault(null, time: clock, kvBlocks: index, engineHasher: hasher);
        if (!registry.TryGet(Policy, out _policy))
        {
            throw new InvalidOperationException(Policy);
        }

        _ingest = index.ForPod(_candidates[1].Name);
        for (int i = 0; i < _batch.Length; i++)
        {
            _batch[i] = (ulong)random.NextInt64();
        }
    }

    [Benchmark]
    public Endpoint Pick() => _policy.Pick(_request, _candidates);

    [Benchmark]
    public Endpoint PickWithHashing()
    {
        _request.ResetDecision();
        return _policy.Pick(_request, _candidates);
    }

    [Benchmark(OperationsPerInvoke = 2048)]
    public void Ingest()
    {
        _ingest.Stored(_batch);
        _ingest.Removed(_batch);
    }
}

/// <summary>
/// The KV-event match alone, as <see cref="KvEventPolicyBenchmarks"/> sets it up (64 pods, 20,000 blocks each,
/// 125-block prompt half cached on every fourth pod): <c>PerPodWalk</c> is the match before the hash → pods map
/// (each pod's freshness and chain walk under that pod's lock, through the public <c>TryMatch</c>),
/// <c>OneWalk</c> the decision's match now (one walk of the prompt for all candidates under one lock).
/// </summary>
[MemoryDiagnoser]
public class KvMatchBenchmarks
{
    private Endpoint[] _candidates = null!;
    private Gateway.Core.Routing.KvEvents.KvBlockIndex _index = null!;
    private ulong[] _hashes = [];
    private readonly int[] _blocks = new int[64];

    [GlobalSetup]
    public void Setup()
    {
        _candidates = BenchFleet.Create(64);
        _index = new Gateway.Core.Routing.KvEvents.KvBlockIndex(null, BenchFleet.FrozenClock());
        string prompt = string.Concat(Enumerable.Range(0, 2000).Select(i => $" w{i % 997:x3}"));
        (_hashes, _) = new AIBrix.Gateway.KvEvents.SimEngineBlockHasher().Hash(new RoutingRequest { PromptText = prompt });
        var random = new Random(7);
        var filler = new ulong[20_000];
        for (int p = 0; p < _candidates.Length; p++)
        {
            var pod = _index.ForPod(_candidates[p].Name);
            for (int i = 0; i < filler.Length; i++)
            {
                filler[i] = (ulong)random.NextInt64();
            }

            pod.Stored(filler);
            if (p % 4 == 0)
            {
                pod.Stored(_hashes.AsSpan(0, _hashes.Length / 2));
            }
        }
    }

    [Benchmark(Baseline = true)]
    public int PerPodWalk()
    {
        int sum = 0;
        foreach (var c in _candidates)
        {
            sum += _index.TryMatch(c.Name, _hashes, out int b) ? b : -1;
        }

        return sum;
    }

    [Benchmark]
    public int OneWalk() => _index.MatchAll(_candidates, _hashes, _blocks);
}
