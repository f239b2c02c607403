using System.Net;
using System.Text;
using System.Text.Json;
using AIBrix.EngineSim;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>
/// <c>/v1/responses</c>, which the gateway advertises, end to end: through the standalone proxy and through
/// ext_proc to a real simulator, answered and its usage (<c>input_tokens</c>/<c>output_tokens</c>) counted.
/// </summary>
public class ResponsesApiTests
{
    private const string Model = "m";

    private static string Body(bool stream) =>
        $$"""{"model":"{{Model}}","input":"hello there","max_output_tokens":5{{(stream ? ",\"stream\":true" : "")}}}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Standalone_Responses_AnsweredByTheEngineAndTokensCounted(bool stream)
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model), standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/responses", new StringContent(Body(stream), Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(stream ? "response.completed" : "\"object\":\"response\"", text, StringComparison.Ordinal);
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"aibrix_gateway_tokens_total{{model=\"{Model}\",kind=\"completion\"}} 5", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtProc_Responses_RoutedToAPodThatAnswers()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model));
        using var envoy = gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/responses", Body(stream: false));

        Assert.Null(exchange.Immediate);
        Assert.Equal(200, exchange.UpstreamStatus);
        using var doc = JsonDocument.Parse(exchange.ResponseBody);
        Assert.Equal(5, doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }
}
