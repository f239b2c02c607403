using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class RoutingPolicyRegistryTests
{
    [Theory]
    [InlineData("random")]
    [InlineData("least-request")]
    [InlineData("LEAST-REQUEST")]
    public void TryGet_KnownName_CaseInsensitive(string name)
    {
        var registry = RoutingPolicyRegistry.CreateDefault(null);

        Assert.True(registry.TryGet(name, out var policy));
        Assert.Equal(name.ToLowerInvariant(), policy.Name);
    }

    [Fact]
    public void CreateDefault_RegistersEveryAIBrixStrategy()
    {
        var registry = RoutingPolicyRegistry.CreateDefault(null);
        string[] names =
        [
            "random", "least-request", "throughput", "least-kv-cache", "least-gpu-cache", "least-busy-time",
            "least-latency", "power-of-two", "prefix-cache", "prefix-cache-events", "kv-cost", "prefix-cache-preble", "session-affinity", "vtc-basic",
        ];

        Assert.All(names, n => Assert.True(registry.TryGet(n, out var p) && p.Name == n, n));
        Assert.Equal(string.Join(", ", names.Order(StringComparer.Ordinal)), registry.KnownNames);
        Assert.NotNull(registry.PrefixIndex);
    }

    [Fact]
    public void SetDefault_WeightedMix_Accepted()
    {
        var registry = RoutingPolicyRegistry.CreateDefault("prefix-cache:2,least-request:1");

        Assert.Equal("prefix-cache:2,least-request:1", registry.Default!.Name);
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        var random = new SeededRandomSource(1);
        var e = Assert.Throws<ArgumentException>(() => new RoutingPolicyRegistry([new RandomPolicy(random), new RandomPolicy(random)], null));
        Assert.Contains("random", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetDefault_UnknownName_ThrowsAndListsKnownNames()
    {
        var registry = RoutingPolicyRegistry.CreateDefault("random");

        var e = Assert.Throws<ArgumentException>(() => registry.SetDefault("fastest"));

        Assert.Contains("least-request", e.Message, StringComparison.Ordinal);
        Assert.Equal("random", registry.Default!.Name);
    }

    [Fact]
    public void Default_NoneConfigured_IsNull()
    {
        Assert.Null(RoutingPolicyRegistry.CreateDefault(null).Default);
        Assert.Null(RoutingPolicyRegistry.CreateDefault("  ").Default);
    }

    [Fact]
    public void RandomPolicy_Pick_ReachesEveryCandidate()
    {
        var registry = TestEndpoints.ReadyRegistry(TestEndpoints.Spec("a", "10.0.0.1:8000"), TestEndpoints.Spec("b", "10.0.0.2:8000"));
        var endpoints = registry.Current.ReadyFor("llama").ToArray();
        var policy = new RandomPolicy(new SeededRandomSource(5));

        var seen = Enumerable.Range(0, 200).Select(_ => policy.Pick(new RoutingRequest(), endpoints).Name).ToHashSet();

        Assert.Equal(2, seen.Count);
    }
}
