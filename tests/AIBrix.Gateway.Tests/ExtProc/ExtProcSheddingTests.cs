using System.Text.Json;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.ExtProc;

/// <summary>
/// GIE's shedding over real gRPC: with every endpoint saturated (waiting queue at the threshold, read from the engines'
/// real /metrics), requests of a sheddable objective get 429 and the others are still routed.
/// </summary>
public sealed class ExtProcSheddingTests
{
    private const string Model = "llama-shed";

    private static KeyValuePair<string, string>[] Objective(string name) => [new("x-gateway-inference-objective", name)];

    [Fact]
    public async Task EveryEndpointSaturated_SheddableObjectiveGets429_OthersRouted_RoomAgainRoutesIt()
    {
        await using var a = await RecordingUpstream.StartAsync(Model);
        await using var b = await RecordingUpstream.StartAsync(Model);
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor([a.Address, b.Address], Model),
            extraArgs: ["--sheddable-objectives", "batch,offline", "--saturation-queue-depth", "3"]);
        string chat = SimFleetFixture.Chat(model: Model);

        using (var envoy = gateway.Envoy())
        {
            var idle = await envoy.SendAsync("/v1/chat/completions", chat, headers: Objective("batch"));
            Assert.Equal(200, idle.UpstreamStatus); // not saturated: sheddable requests are served too
        }

        a.Waiting = 3;
        b.Waiting = 7;
        await gateway.WaitUntilAsync(s => s.All.All(e => e.Metrics?.Waiting >= 3), "both saturated");

        using (var envoy = gateway.Envoy())
        {
            var shed = await envoy.SendAsync("/v1/chat/completions", chat, headers: Objective("batch"));
            Assert.Equal(429, (int)shed.Immediate!.Status.Code);
            using var body = JsonDocument.Parse(shed.ImmediateBody);
            Assert.Equal("request_shed", body.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains(shed.Immediate.Headers.SetHeaders, h => h.Header.Key == "x-error-request-shed");
        }

        using (var envoy = gateway.Envoy())
        {
            var critical = await envoy.SendAsync("/v1/chat/completions", chat, headers: Objective("chat"));
            Assert.Null(critical.Immediate);
            Assert.Equal(200, critical.UpstreamStatus);
        }

        using (var envoy = gateway.Envoy())
        {
            var unnamed = await envoy.SendAsync("/v1/chat/completions", chat);
            Assert.Equal(200, unnamed.UpstreamStatus);
        }

        b.Waiting = 2;
        await gateway.WaitUntilAsync(s => s.All.Any(e => e.Metrics?.Waiting == 2), "b has room again");
        using (var envoy = gateway.Envoy())
        {
            var routed = await envoy.SendAsync("/v1/chat/completions", chat, headers: Objective("offline"));
            // Shedding decides admission only; which pod serves is the strategy's choice (least-request ties at 0 in flight).
            Assert.Null(routed.Immediate);
            Assert.Equal(200, routed.UpstreamStatus);
        }
    }

    [Theory]
    [InlineData("--saturation-kv-cache 1.5", "--saturation-kv-cache: 1.5 is not in (0, 1]")]
    [InlineData("--saturation-kv-cache 0", "is not a positive number")]
    [InlineData("--saturation-queue-depth 0", "--saturation-queue-depth")]
    public void SheddingFlags_BadValues_ClearErrors(string args, string error)
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--config", "c.yaml", .. args.Split(' ')]);

        Assert.Contains(cli.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void SheddingFlags_Parsed_StandaloneHasNone()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--config", "c.yaml", "--sheddable-objectives", "batch, offline", "--saturation-kv-cache", "0.9"]);
        var standalone = GatewayCommandLine.Parse(["standalone", "--config", "c.yaml", "--sheddable-objectives", "batch"]);

        Assert.Empty(cli.Errors);
        Assert.Equal(["batch", "offline"], cli.Shedding.SheddableObjectives.Order(StringComparer.Ordinal));
        Assert.Equal((5, 0.9), (cli.Shedding.QueueDepthThreshold, cli.Shedding.KvCacheThreshold));
        Assert.NotEmpty(standalone.Errors);
    }
}
