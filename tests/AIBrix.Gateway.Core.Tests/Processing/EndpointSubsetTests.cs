using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

/// <summary>The endpoint-picker protocol's subset filter and fallback list, as pure functions and through candidate selection.</summary>
public class EndpointSubsetTests
{
    private static readonly EndpointRegistry Registry = ReadyRegistry(
        Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"), Spec("c", "10.0.0.3:8000"), Spec("d", "10.0.0.4:8000"), Spec("m", "10.0.0.9:8000", model: "mistral"));

    [Theory]
    [InlineData(new[] { "10.0.0.2:8000", " 10.0.0.3:8000 ", "" }, new[] { "b", "c" })]
    [InlineData(new[] { "10.0.0.9:8000" }, new string[0])] // another model's endpoint is no candidate
    public void Select_WithSubset_OnlyThoseEndpoints(string[] hint, string[] expected)
    {
        var subset = EndpointSubset.Parse(hint);

        var error = CandidateSelection.Select(Registry.Current, "llama", new Dictionary<string, string>(), out var candidates, out var rented, subset);
        var names = candidates.ToArray().Select(e => e.Name).Order().ToArray();
        CandidateSelection.Return(ref rented);

        Assert.Equal(expected, names);
        Assert.Equal(expected.Length == 0 ? GatewayErrorKind.NoReadyEndpoint : null, error?.Kind);
    }

    [Fact]
    public void Select_EmptySubset_503_UnknownModelStays404Path()
    {
        var empty = EndpointSubset.Parse([]);

        var known = CandidateSelection.Select(Registry.Current, "llama", new Dictionary<string, string>(), out _, out var r1, empty);
        var unknown = CandidateSelection.Select(Registry.Current, "nope", new Dictionary<string, string>(), out var none, out var r2, empty);
        CandidateSelection.Return(ref r1);
        CandidateSelection.Return(ref r2);

        Assert.Equal(GatewayErrorKind.NoReadyEndpoint, known!.Kind);
        Assert.Null(unknown); // the pipeline answers 404 for a model nobody serves
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void Fallbacks_LeastLoadedFirst_ExcludingThePick_InsideTheSubset()
    {
        var snapshot = Registry.Current;
        var byName = snapshot.ByName;
        using var busyB = byName["b"].Acquire();
        using var busyB2 = byName["b"].Acquire();
        using var busyC = byName["c"].Acquire();

        var all = EndpointSubset.Fallbacks(snapshot, "llama", byName["a"], null, 2);
        var inSubset = EndpointSubset.Fallbacks(snapshot, "llama", byName["a"], EndpointSubset.Parse(["10.0.0.1:8000", "10.0.0.2:8000"]), 2);
        var none = EndpointSubset.Fallbacks(snapshot, "llama", byName["a"], null, 0);

        Assert.Equal(["d", "c"], all.Select(e => e.Name));
        Assert.Equal(["b"], inSubset.Select(e => e.Name));
        Assert.Empty(none);
        Assert.Equal("10.0.0.1:8000,10.0.0.4:8000,10.0.0.3:8000", EndpointSubset.Destination(byName["a"], all));
        Assert.Equal("10.0.0.1:8000", EndpointSubset.Destination(byName["a"], none));
    }
}

/// <summary>GIE's saturation rule and the sheddable objectives.</summary>
public class LoadSheddingTests
{
    private static Endpoint Endpoint(double? waiting, double? kv)
    {
        var registry = new EndpointRegistry();
        registry.Apply([Spec("e", "10.0.0.1:8000")]);
        if (waiting is not null || kv is not null)
        {
            registry.OnScraped("e", new EngineMetricsSnapshot { Waiting = waiting, KvCacheUsage = kv }, DateTimeOffset.UnixEpoch);
        }

        return registry.Current.ByName["e"];
    }

    [Theory]
    [InlineData(0.0, 0.1, false)]
    [InlineData(4.0, 0.79, false)]
    [InlineData(5.0, 0.0, true)]  // queue at the threshold
    [InlineData(0.0, 0.8, true)]  // KV cache at the threshold
    [InlineData(null, 0.5, false)] // one signal is enough to know there is room
    [InlineData(null, null, true)] // nothing reported: no known room
    public void IsSaturated_GieDefaults(double? waiting, double? kv, bool saturated) =>
        Assert.Equal(saturated, new LoadShedding().IsSaturated(Endpoint(waiting, kv)));

    [Fact]
    public void AllSaturated_NeedsEveryOne_AndSomeEndpoint()
    {
        var shedding = new LoadShedding();
        var full = Endpoint(9, 0.9);
        var room = Endpoint(0, 0.1);

        Assert.True(shedding.AllSaturated([full, full]));
        Assert.False(shedding.AllSaturated([full, room]));
        Assert.False(shedding.AllSaturated([]));
    }

    [Fact]
    public void SheddableObjective_OnlyListedObjectives_OffWhenNoneListed()
    {
        var shedding = new LoadShedding { SheddableObjectives = new HashSet<string>(["batch"]) };
        var batch = new Dictionary<string, string> { ["x-gateway-inference-objective"] = " batch " };
        var chat = new Dictionary<string, string> { ["x-gateway-inference-objective"] = "chat" };

        Assert.Equal("batch", shedding.SheddableObjective(batch));
        Assert.Null(shedding.SheddableObjective(chat));
        Assert.Null(shedding.SheddableObjective(new Dictionary<string, string>()));
        Assert.Null(new LoadShedding().SheddableObjective(batch));
    }
}
