using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

/// <summary>Builders for routing tests: ready endpoints with chosen metrics and loads.</summary>
internal static class RoutingTestKit
{
    private static int _nextAddress;

    /// <summary>A clock the test moves by hand, starting at a fixed instant.</summary>
    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

    public static Endpoint Pod(string name, FakeTimeProvider time, EngineMetricsSnapshot? metrics = null, int inFlight = 0, Dictionary<string, string>? labels = null)
    {
        int n = Interlocked.Increment(ref _nextAddress);
        var endpoint = new Endpoint(new EndpointSpec(name, $"10.0.{n / 250 % 250}.{n % 250 + 1}:8000", "llama", EngineKind.Vllm, null, labels ?? [], []));
        endpoint.SetHealth(new EndpointHealth(true, metrics, metrics is null ? null : time.GetUtcNow(), null, 0));
        for (int i = 0; i < inFlight; i++)
        {
            endpoint.Acquire();
        }

        return endpoint;
    }

    /// <summary>Pods named p0..pN-1 with distinct addresses and no metrics needed.</summary>
    public static Endpoint[] Pods(int count, FakeTimeProvider? time = null)
    {
        time ??= Clock();
        var pods = new Endpoint[count];
        for (int i = 0; i < count; i++)
        {
            pods[i] = new Endpoint(new EndpointSpec($"p{i}", $"10.1.{i / 250}.{i % 250 + 1}:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []));
            pods[i].SetHealth(new EndpointHealth(true, new EngineMetricsSnapshot { Running = 0, Waiting = 0, KvCacheUsage = 0 }, time.GetUtcNow(), null, 0));
        }

        return pods;
    }

    public static EngineMetricsSnapshot Kv(double gpu, double? cpu = null) => new() { KvCacheUsage = gpu, CpuKvCacheUsage = cpu, Running = 0, Waiting = 0 };

    public static HistogramSnapshot Histogram(double mean) => new([new HistogramBucket(double.PositiveInfinity, 10)], mean * 10, 10);

    public static RoutingRequest Request(string prompt = "", string? user = null, int? maxTokens = null, Dictionary<string, string>? headers = null) =>
        new() { PromptText = prompt, User = user, MaxTokens = maxTokens, Headers = headers ?? [] };

    public static RoutingOptions Options(int maxEntries = 10_000, int blockSize = 4, PrefixTokenizerKind tokenizer = PrefixTokenizerKind.Characters) =>
        new() { PrefixCache = new PrefixCacheOptions { MaxEntries = maxEntries, BlockSize = blockSize, Tokenizer = tokenizer } };

    /// <summary>Picks and gives the policy its feedback, as the pipeline does.</summary>
    public static Endpoint Route(IRoutingPolicy policy, RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        var target = policy.Pick(request, candidates);
        (policy as IRoutingFeedback)?.OnRouted(request, target);
        return target;
    }
}
