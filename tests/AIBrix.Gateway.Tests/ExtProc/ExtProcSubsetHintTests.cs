using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;

namespace AIBrix.Gateway.Tests.ExtProc;

/// <summary>
/// The endpoint-picker protocol over real gRPC: the proxy's subset hint
/// (<c>envoy.lb.subset_hint</c> / <c>x-gateway-destination-endpoint-subset</c>) limits the pick, an unusable subset is a
/// 503, and the answer lists fallback endpoints after the pick for the proxy's retries.
/// </summary>
public sealed class ExtProcSubsetHintTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    private static Metadata Hint(params string[] endpoints)
    {
        var hint = new Struct();
        hint.Fields["x-gateway-destination-endpoint-subset"] = Value.ForList([.. endpoints.Select(Value.ForString)]);
        var metadata = new Metadata();
        metadata.FilterMetadata["envoy.lb.subset_hint"] = hint;
        return metadata;
    }

    private static string[] Destination(EnvoyExchange exchange) => exchange.RequestHeaderMutations["x-gateway-destination-endpoint"].Split(',');

    [Fact]
    public async Task SubsetOfOne_EveryPickIsThatEndpoint_NoFallbackOutsideIt()
    {
        string allowed = fleet.Addresses[1];
        for (int i = 0; i < 6; i++)
        {
            using var envoy = fleet.Gateway.Envoy();

            var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat($"request {i}"), metadata: Hint(allowed));

            Assert.Null(exchange.Immediate);
            Assert.Equal(allowed, exchange.TargetPod);
            Assert.Equal([allowed], Destination(exchange));
            Assert.Equal(allowed, exchange.DynamicMetadata!.Fields["envoy.lb"].StructValue.Fields["x-gateway-destination-endpoint"].StringValue);
            Assert.Equal(200, exchange.UpstreamStatus);
        }
    }

    [Fact]
    public async Task SubsetOfTwo_PickAndFallbackBothInside()
    {
        string[] allowed = [fleet.Addresses[0], fleet.Addresses[2]];
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), EnvoyBodyMode.FullDuplexStreamed, metadata: Hint([.. allowed, "10.9.9.9:8000"]));

        Assert.Null(exchange.Immediate);
        var destination = Destination(exchange);
        Assert.Equal(exchange.TargetPod, destination[0]);
        Assert.Equal(allowed.Order(StringComparer.Ordinal), destination.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NoHint_FallbacksAreTheOtherReadyEndpoints()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());

        var destination = Destination(exchange);
        Assert.Equal(exchange.TargetPod, destination[0]);
        Assert.Equal(fleet.Addresses.Order(StringComparer.Ordinal), destination.Order(StringComparer.Ordinal)); // 1 pick + 2 fallbacks, distinct
    }

    public static TheoryData<string[]> UnusableSubsets() => new() { Array.Empty<string>(), new[] { "10.9.9.9:8000", "10.9.9.10:8000" } };

    [Theory]
    [MemberData(nameof(UnusableSubsets))]
    public async Task SubsetWithNoReadyEndpoint_503NoReadyEndpoint(string[] subset)
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), metadata: Hint(subset));

        Assert.NotNull(exchange.Immediate);
        Assert.Equal(503, (int)exchange.Immediate!.Status.Code);
        using var body = JsonDocument.Parse(exchange.ImmediateBody);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("no_ready_endpoint", error.GetProperty("code").GetString());
        Assert.Equal("x-gateway-destination-endpoint-subset", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task HintAsCommaSeparatedString_AlsoRead_AndUnknownModelStays404()
    {
        var hint = new Struct();
        hint.Fields["x-gateway-destination-endpoint-subset"] = Value.ForString($" {fleet.Addresses[2]} ,");
        var metadata = new Metadata();
        metadata.FilterMetadata["envoy.lb.subset_hint"] = hint;
        using var envoy = fleet.Gateway.Envoy();
        using var envoy2 = fleet.Gateway.Envoy();

        var routed = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), metadata: metadata);
        var unknown = await envoy2.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(model: "no-such-model"), metadata: Hint(fleet.Addresses[0]));

        Assert.Equal(fleet.Addresses[2], routed.TargetPod);
        Assert.Equal(404, (int)unknown.Immediate!.Status.Code);
    }
}
