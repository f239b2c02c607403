using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.ExtProc;

public class ExtProcRoutingTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task Process_BufferedChat_RoutesToReadyPodAndReportsHeaders()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());

        Assert.Null(exchange.Immediate);
        Assert.Contains(exchange.TargetPod, fleet.Addresses);
        // The endpoint-picker protocol's list: the pick first, then fallbacks; the header and the metadata agree.
        string destination = exchange.RequestHeaderMutations["x-gateway-destination-endpoint"];
        Assert.Equal(exchange.TargetPod, destination.Split(',')[0]);
        Assert.Equal("least-request", exchange.RequestHeaderMutations["routing-strategy"]);
        Assert.True(exchange.ClearRouteCache);
        Assert.Empty(exchange.NonRawHeaderValues);
        var lb = exchange.DynamicMetadata!.Fields["envoy.lb"].StructValue;
        Assert.Equal(destination, lb.Fields["x-gateway-destination-endpoint"].StringValue);

        Assert.Equal(200, exchange.UpstreamStatus);
        Assert.Equal(exchange.TargetPod, exchange.ResponseHeaderMutations["target-pod"]);
        Assert.Equal("least-request", exchange.ResponseHeaderMutations["routing-strategy"]);
        Assert.False(string.IsNullOrEmpty(exchange.ResponseHeaderMutations["request-id"]));
        using var doc = JsonDocument.Parse(exchange.ResponseBody);
        Assert.True(doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Process_EnvoyRequestId_IsEchoedOnTheResponse()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("x-request-id", "req-123")]);

        Assert.Equal("req-123", exchange.ResponseHeaderMutations["request-id"]);
    }

    [Fact]
    public async Task Process_FullDuplexStreamed_AnswersHeadersThenHandsBodyBack()
    {
        using var envoy = fleet.Gateway.Envoy();
        string body = SimFleetFixture.Chat("A longer prompt, sent by Envoy in many small chunks without waiting for answers.");

        var exchange = await envoy.SendAsync("/v1/chat/completions", body, EnvoyBodyMode.FullDuplexStreamed, bodyChunkSize: 7);

        Assert.Null(exchange.Immediate);
        Assert.Contains(exchange.TargetPod, fleet.Addresses);
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(exchange.StreamedRequestBody!));
        Assert.Equal(200, exchange.UpstreamStatus);
        Assert.Contains("\"choices\"", System.Text.Encoding.UTF8.GetString(exchange.ResponseBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_StreamingWithUsage_CountsTokensInMetrics()
    {
        using var envoy = fleet.Gateway.Envoy();
        double before = await TokensAsync("completion");

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(stream: true, maxTokens: 12));

        Assert.Equal(200, exchange.UpstreamStatus);
        string sse = System.Text.Encoding.UTF8.GetString(exchange.ResponseBody);
        Assert.Contains("data: [DONE]", sse, StringComparison.Ordinal);
        Assert.Equal(before + 12, await TokensAsync("completion"));
    }

    [Fact]
    public async Task Process_ManyConcurrentStreams_AllRoutedAndCountersReturnToZero()
    {
        var tasks = Enumerable.Range(0, 48).Select(async i =>
        {
            using var envoy = fleet.Gateway.Envoy();
            return await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat($"request {i}", stream: i % 2 == 0));
        });

        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(200, r.UpstreamStatus));
        Assert.Equal(3, results.Select(r => r.TargetPod).Distinct().Count());
        await fleet.Gateway.WaitUntilAsync(s => s.All.All(e => e.InFlight == 0), "no request in flight");
    }

    [Fact]
    public async Task Process_StreamTornDownAfterRouting_ReleasesInFlight()
    {
        using var envoy = fleet.Gateway.Envoy();
        using var cts = new CancellationTokenSource();
        var call = envoy.Client.Process(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new() { RequestHeaders = new() { Headers = EnvoyEmulator.Headers("POST", "/v1/chat/completions") } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new() { RequestBody = new() { Body = Google.Protobuf.ByteString.CopyFromUtf8(SimFleetFixture.Chat()), EndOfStream = true } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        string target = call.ResponseStream.Current.RequestBody.Response.HeaderMutation.SetHeaders.Single(h => h.Header.Key == "target-pod").Header.RawValue.ToStringUtf8();
        Assert.Equal(1, fleet.Gateway.Registry.Current.All.Single(e => e.Address == target).InFlight);

        cts.Cancel(); // Envoy resets the stream: client gone mid-request
        call.Dispose();

        await fleet.Gateway.WaitUntilAsync(s => s.All.Single(e => e.Address == target).InFlight == 0, "in-flight released after reset");
    }

    [Fact]
    public async Task Process_HalfCloseAfterRouting_EndsTheCallAndReleases()
    {
        using var envoy = fleet.Gateway.Envoy();
        var call = envoy.Client.Process();
        await call.RequestStream.WriteAsync(new() { RequestHeaders = new() { Headers = EnvoyEmulator.Headers("POST", "/v1/completions") } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new() { RequestBody = new() { Body = Google.Protobuf.ByteString.CopyFromUtf8($$"""{"model":"{{SimFleetFixture.Model}}","prompt":"hi"}"""), EndOfStream = true } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        await fleet.Gateway.WaitUntilAsync(s => s.All.All(e => e.InFlight == 0), "in-flight released after half-close");
    }

    private async Task<double> TokensAsync(string kind)
    {
        string text = await fleet.Gateway.Http.GetStringAsync("/metrics");
        string prefix = $"aibrix_gateway_tokens_total{{model=\"{SimFleetFixture.Model}\",kind=\"{kind}\"}} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
