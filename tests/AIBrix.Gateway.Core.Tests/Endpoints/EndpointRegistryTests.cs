using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Endpoints;

public class EndpointRegistryTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Apply_NewEndpoints_AreKnownButNotReadyUntilScraped()
    {
        var registry = new EndpointRegistry();
        registry.Apply([Spec("a", "10.0.0.1:8000")]);

        Assert.True(registry.Current.IsKnownModel("llama"));
        Assert.True(registry.Current.ReadyFor("llama").IsEmpty);
        Assert.False(registry.Current.ByName["a"].IsReady);
    }

    [Fact]
    public void OnScraped_MakesEndpointReady_AndPublishesNewSnapshot()
    {
        var registry = new EndpointRegistry();
        registry.Apply([Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000")]);
        var before = registry.Current;

        registry.OnScraped("a", new EngineMetricsSnapshot { Running = 3 }, At);

        Assert.NotSame(before, registry.Current);
        Assert.True(registry.Current.Version > before.Version);
        var ready = registry.Current.ReadyFor("llama").ToArray();
        Assert.Equal(["a"], ready.Select(e => e.Name));
        Assert.Equal(3, ready[0].Metrics!.Running);
    }

    [Fact]
    public void OnScrapeFailed_TwiceInARow_TakesEndpointOutOfRotation()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));

        registry.OnScrapeFailed("a", "connection refused", At);
        Assert.Equal(1, registry.Current.ReadyFor("llama").Length);

        registry.OnScrapeFailed("a", "connection refused", At);
        Assert.True(registry.Current.ReadyFor("llama").IsEmpty);
        var endpoint = registry.Current.ByName["a"];
        Assert.Equal("connection refused", endpoint.Health.LastError);
        Assert.NotNull(endpoint.Metrics); // last known metrics are kept for the debug view

        registry.OnScraped("a", new EngineMetricsSnapshot { Running = 0 }, At);
        Assert.Equal(1, registry.Current.ReadyFor("llama").Length);
    }

    [Fact]
    public void Apply_SameNameAndAddress_KeepsInFlightCountersAcrossReload()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"));
        var a = registry.Current.ByName["a"];
        using var lease = a.Acquire();

        registry.Apply([Spec("a", "10.0.0.1:8000", labels: new() { ["zone"] = "x" }), Spec("c", "10.0.0.3:8000")]);

        var reloaded = registry.Current.ByName["a"];
        Assert.Same(a, reloaded);
        Assert.Equal(1, reloaded.InFlight);
        Assert.Equal("x", reloaded.Labels["zone"]);
        Assert.True(reloaded.IsReady);
        Assert.False(registry.Current.ByName.ContainsKey("b"));
        Assert.False(registry.Current.ByName["c"].IsReady);
    }

    [Fact]
    public void Apply_AddressChanged_StartsAFreshEndpoint()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var old = registry.Current.ByName["a"];

        registry.Apply([Spec("a", "10.0.0.9:8000")]);

        Assert.NotSame(old, registry.Current.ByName["a"]);
        Assert.False(registry.Current.ByName["a"].IsReady);
    }

    [Fact]
    public void ReadyFor_AdapterName_ListsOnlyEndpointsThatLoadedIt()
    {
        var registry = ReadyRegistry(
            Spec("a", "10.0.0.1:8000", adapters: ["sql-lora"]),
            Spec("b", "10.0.0.2:8000"));

        Assert.Equal(["a"], registry.Current.ReadyFor("sql-lora").ToArray().Select(e => e.Name));
        Assert.Equal(2, registry.Current.ReadyFor("llama").Length);
        Assert.False(registry.Current.IsKnownModel("other"));
    }

    [Fact]
    public void OnScraped_UnknownEndpoint_IsIgnored()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var before = registry.Current;

        registry.OnScraped("gone", new EngineMetricsSnapshot(), At);

        Assert.Same(before, registry.Current);
    }

    [Fact]
    public void InFlightLease_DisposedTwice_ReleasesOnce()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var endpoint = registry.Current.ByName["a"];
        var first = endpoint.Acquire();
        var second = endpoint.Acquire();

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, endpoint.InFlight);
        second.Dispose();
        Assert.Equal(0, endpoint.InFlight);
    }

    [Fact]
    public async Task Acquire_ParallelLeases_CountExactly()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var endpoint = registry.Current.ByName["a"];

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                using var lease = endpoint.Acquire();
            }
        })));

        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(80_000, endpoint.Served);
    }
}
