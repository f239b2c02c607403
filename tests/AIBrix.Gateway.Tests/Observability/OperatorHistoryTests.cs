using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Observability.History;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Tests.Observability;

/// <summary>The operator page's in-memory history: what it counts, and that its memory is bounded whatever the traffic.</summary>
public class OperatorHistoryTests
{
    private static readonly HistoryOptions Small = new() { BucketSeconds = 5, Buckets = 12, MaxKeysPerBucket = 4, MaxUsersPerBucket = 8, MaxEndpoints = 3 };

    [Fact]
    public void RequestHistory_HoursOfTrafficWithEndlessDistinctKeys_HoldsAtMostTheCapsPerBucket()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var history = new RequestHistory(Small, time);
        int maxHeld = 0;
        for (int i = 0; i < 50_000; i++)
        {
            // Every request a new user, status, refusal and fallback reason: the worst case for the breakdowns.
            history.Record(100 + (i % 500), i % 3 == 0, 0.001 * (i % 997), 0.0001 * (i % 13), 10, 5, $"user-{i}", $"kind-{i}");
            history.RecordFallback("prefix-cache", $"reason-{i}");
            if (i % 50 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                maxHeld = Math.Max(maxHeld, history.KeysHeld());
            }
        }

        Assert.Equal(12, history.BucketCount);
        // Per bucket: statuses, refusals and fallbacks hold 4 keys + "(other)", users 8 + "(other)" twice.
        int bound = Small.Buckets * ((3 * (Small.MaxKeysPerBucket + 1)) + (2 * (Small.MaxUsersPerBucket + 1)));
        Assert.InRange(maxHeld, 1, bound);
        Assert.InRange(history.KeysHeld(), 1, bound);
    }

    [Fact]
    public void RequestHistory_KeysPastTheCap_CountUnderOther()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var history = new RequestHistory(Small with { MaxUsersPerBucket = 2 }, time);
        foreach (var user in new[] { "alice", "bob", "carol", "dave", "alice" })
        {
            history.Record(200, false, null, null, 1, 1, user, null);
        }

        var users = new Dictionary<string, long>();
        history.Read(1, (_, b) =>
        {
            foreach (var (user, n) in b.UserRequests)
            {
                users[user] = n;
            }
        });
        Assert.Equal(new Dictionary<string, long> { ["alice"] = 2, ["bob"] = 1, [HistoryOptions.Other] = 2 }, users);
    }

    [Fact]
    public void RequestHistory_OldBuckets_AreForgottenAfterTheWindow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var history = new RequestHistory(Small, time);
        history.Record(429, true, null, null, 0, 0, "alice", RequestHistory.RefusalKind(GatewayErrorKind.RequestRateLimited));
        time.Advance(TimeSpan.FromSeconds(10));
        history.Record(200, false, 0.05, 0.01, 100, 20, "bob", null);

        long requests = 0, refusals = 0, tokensIn = 0;
        int buckets = 0;
        history.Read(Small.Buckets, (_, b) =>
        {
            buckets++;
            requests += b.Requests;
            refusals += b.Refusals.Sum(r => r.Value);
            tokensIn += b.TokensIn;
        });
        Assert.Equal((12, 2, 1, 100), (buckets, requests, refusals, tokensIn));

        // A whole window later the ring holds nothing of either, though no request came to clear it.
        time.Advance(Small.Window);
        requests = 0;
        history.Read(Small.Buckets, (_, b) => requests += b.Requests);
        Assert.Equal(0, requests);
    }

    [Theory]
    [InlineData(0.5, 0.100)]
    [InlineData(0.99, 0.990)]
    public void LatencyBins_Quantile_WithinOneBinOfTheTruth(double q, double expectedSeconds)
    {
        var bins = new LatencyBins();
        for (int ms = 1; ms <= 200; ms++)
        {
            bins.Add(ms / 1000.0);
        }

        for (int i = 0; i < 1000; i++)
        {
            bins.Add(q == 0.5 ? 0.1 : 0.99);
        }

        Assert.InRange(bins.Quantile(q)!.Value, expectedSeconds, expectedSeconds * 1.25);
        Assert.Null(new LatencyBins().Quantile(0.5));
    }

    [Fact]
    public void EndpointHistory_CapsEndpoints_DropsGoneOnes_AndRatesPrefixHitsFromCounterDeltas()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var history = new EndpointHistory(Small, time);
        var registry = new EndpointRegistry();
        registry.Apply([.. Enumerable.Range(0, 5).Select(Spec)]);
        Scrape(registry, "pod-0", hits: 0, queries: 0, running: 2);
        history.Sample(registry.Current);
        Assert.Equal(3, history.Count);

        time.Advance(TimeSpan.FromSeconds(5));
        Scrape(registry, "pod-0", hits: 30, queries: 40, running: 3);
        history.Sample(registry.Current);
        var pod0 = history.Read(2, _ => ["pod-0"]).Single();
        Assert.Equal([2f, 3f], pod0.Running);
        Assert.True(float.IsNaN(pod0.PrefixHitRate[0]));
        Assert.Equal(0.75f, pod0.PrefixHitRate[1]);
        Assert.True(float.IsNaN(history.Read(2, _ => ["pod-1"]).Single().Running[1])); // never scraped: no value, never 0

        // A second sample in the same bucket replaces the first, its hit rate still measured from the bucket's base.
        Scrape(registry, "pod-0", hits: 50, queries: 80, running: 4);
        history.Sample(registry.Current);
        pod0 = history.Read(2, _ => ["pod-0"]).Single();
        Assert.Equal([2f, 4f], pod0.Running);
        Assert.Equal(0.625f, pod0.PrefixHitRate[1]);

        registry.Apply([Spec(0), Spec(4)]);
        history.Sample(registry.Current);
        Assert.Equal(2, history.Count);
        Assert.Empty(history.Read(2, _ => ["pod-1"]));
    }

    private static EndpointSpec Spec(int i) =>
        new($"pod-{i}", $"10.0.0.{i + 1}:8000", "m", EngineKind.Vllm, null, new Dictionary<string, string>(), []);

    private static void Scrape(EndpointRegistry registry, string name, double hits, double queries, double running) =>
        registry.OnScraped(name, new EngineMetricsSnapshot { Running = running, Waiting = 0, KvCacheUsage = 0.5, PrefixCacheHits = hits, PrefixCacheQueries = queries }, DateTimeOffset.UnixEpoch);
}
