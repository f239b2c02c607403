using System.Text.Json;

namespace AIBrix.EngineSim.Tests.Http;

/// <summary>The minimal OpenAI Responses API the simulator serves, as vLLM does, so the gateway's /v1/responses route has an engine behind it.</summary>
public class ResponsesApiTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private static string Request(string input, string extra = "") =>
        $$"""{"model":"{{SimulatorFixture.Model}}","input":{{input}}{{extra}}}""";

    [Fact]
    public async Task Responses_StringInput_OneAssistantMessageWithExactUsage()
    {
        var (status, body) = await Http.PostAsync(sim.Client, "/v1/responses", Request("\"What is a KV cache?\"", ",\"max_output_tokens\":5"));

        Assert.Equal(200, status);
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var message = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var part = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(part.GetProperty("text").GetString()));
        var usage = body.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + 5, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_MessageListStreamed_DeltasThenCompletedWithUsage()
    {
        using var response = await sim.Client.PostAsync("/v1/responses",
            Http.Json(Request("""[{"role":"user","content":"stream please"}]""", ",\"instructions\":\"be brief\",\"max_output_tokens\":4,\"stream\":true")));
        string text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("response.created", events[0].GetProperty("type").GetString());
        Assert.Equal(4, events.Count(e => e.GetProperty("type").GetString() == "response.output_text.delta"));
        var completed = events[^1];
        Assert.Equal("response.completed", completed.GetProperty("type").GetString());
        Assert.Equal(4, completed.GetProperty("response").GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Contains("event: response.completed\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"llama-sim"}""", "missing_required_parameter")]
    [InlineData("""{"model":"llama-sim","input":42}""", "invalid_value")]
    [InlineData("""{"model":"llama-sim","input":[{"content":"no role"}]}""", "invalid_value")]
    public async Task Responses_BadInput_400WithParamInput(string json, string code)
    {
        var (status, body) = await Http.PostAsync(sim.Client, "/v1/responses", json.Replace("llama-sim", SimulatorFixture.Model, StringComparison.Ordinal));

        Assert.Equal(400, status);
        Assert.Equal("input", body.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }
}
