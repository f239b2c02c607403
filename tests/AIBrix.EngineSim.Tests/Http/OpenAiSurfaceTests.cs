using System.Net;
using System.Text.Json;

namespace AIBrix.EngineSim.Tests.Http;

public class OpenAiSurfaceTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private HttpClient Client => sim.Client;

    [Fact]
    public async Task Models_Get_ListsBaseModelWithContextLength()
    {
        var (status, body) = await Http.GetAsync(Client, "/v1/models");

        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = body.GetProperty("data")[0];
        Assert.Equal(SimulatorFixture.Model, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal(4096, model.GetProperty("max_model_len").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_MaxTokens_ReturnsChatCompletionWithExactUsage()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", Http.Chat("What is a KV cache?", extra: ",\"max_tokens\":7"));

        Assert.Equal(200, status);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 7, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_MaxCompletionTokens_WinsOverMaxTokens()
    {
        var (_, body) = await Http.PostAsync(Client, "/v1/chat/completions",
            Http.Chat("hello", extra: ",\"max_tokens\":50,\"max_completion_tokens\":3"));

        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_NoMaxTokens_StopsWithinConfiguredDistribution()
    {
        var (_, body) = await Http.PostAsync(Client, "/v1/chat/completions", Http.Chat("tell me a story"));

        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.InRange(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 39);
    }

    [Fact]
    public async Task ChatCompletions_SamePromptTwice_SameTextAndCachedTokensReported()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("shared system prompt words", 40));
        var (_, first) = await Http.PostAsync(Client, "/v1/chat/completions", Http.Chat(prompt, extra: ",\"max_tokens\":5"));
        var (_, second) = await Http.PostAsync(Client, "/v1/chat/completions", Http.Chat(prompt, extra: ",\"max_tokens\":5"));

        Assert.Equal(Content(first), Content(second));
        int promptTokens = second.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        int cached = second.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        Assert.Equal((promptTokens - 1) / 16 * 16, cached);
        var hashes = sim.Host.Instances[0].CachedBlockHashes();
        int[] chatTokens = SimTokenizer.Encode(ChatTemplateText(prompt));
        Assert.All(PrefixHasher.BlockHashes(chatTokens, 16, 0), h => Assert.Contains(h, hashes));
        Assert.True(sim.Host.Instances[0].Snapshot().PrefixCacheHits >= cached);
    }

    private static string ChatTemplateText(string content) =>
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + content + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

    [Fact]
    public async Task Completions_NonStreaming_ReturnsTextCompletion()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/completions",
            $$"""{"model":"{{SimulatorFixture.Model}}","prompt":"Route requests by prefix","max_tokens":4}""");

        Assert.Equal(200, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_StreamWithIncludeUsage_EndsWithUsageChunkThenDone()
    {
        using var response = await Client.PostAsync("/v1/chat/completions",
            Http.Json(Http.Chat("stream please", extra: ",\"max_tokens\":6,\"stream\":true,\"stream_options\":{\"include_usage\":true}")));
        string text = await response.Content.ReadAsStringAsync();
        var data = Http.SseData(text);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data[..^1].Select(d => JsonDocument.Parse(d).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var contentChunks = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var s) && s.GetString()!.Length > 0).ToList();
        Assert.Equal(6, contentChunks.Count);
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(6, last.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(last.GetProperty("usage").GetProperty("prompt_tokens_details").TryGetProperty("cached_tokens", out _));
    }

    [Fact]
    public async Task Completions_StreamWithoutIncludeUsage_HasNoUsageChunk()
    {
        using var response = await Client.PostAsync("/v1/completions",
            Http.Json($$"""{"model":"{{SimulatorFixture.Model}}","prompt":"abc","max_tokens":3,"stream":true}"""));
        var data = Http.SseData(await response.Content.ReadAsStringAsync());

        Assert.Equal("[DONE]", data[^1]);
        Assert.Equal(4, data.Count - 1); // three tokens + the finish chunk
        Assert.All(data[..^1], d => Assert.Equal(1, JsonDocument.Parse(d).RootElement.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task Embeddings_TwoInputs_ReturnsTwoUnitVectors()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/embeddings",
            $$"""{"model":"{{SimulatorFixture.Model}}","input":["first text","second text"]}""");

        Assert.Equal(200, status);
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        var vector = data[1].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 3);
        Assert.Equal(SimTokenizer.Encode("first text").Length + SimTokenizer.Encode("second text").Length, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Tokenize_Prompt_ReturnsCountAndIds()
    {
        var (status, body) = await Http.PostAsync(Client, "/tokenize", $$"""{"model":"{{SimulatorFixture.Model}}","prompt":"the cat, sat."}""");

        Assert.Equal(200, status);
        Assert.Equal(5, body.GetProperty("count").GetInt32());
        Assert.Equal(SimTokenizer.Encode("the cat, sat."), body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()));
    }

    [Fact]
    public async Task HealthAndReady_Get_Return200()
    {
        using var health = await Client.GetAsync("/health");
        using var ready = await Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_Returns404ModelNotFound()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", Http.Chat("hi", model: "gpt-9-ultra"));

        Assert.Equal(404, status);
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("gpt-9-ultra", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_MalformedJson_Returns400()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", "{\"model\": ");

        Assert.Equal(400, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").GetProperty("param").ValueKind);
        Assert.Equal("invalid_json", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_MissingMessages_Returns400NamingTheField()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/chat/completions", $$"""{"model":"{{SimulatorFixture.Model}}"}""");

        Assert.Equal(400, status);
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Completions_PromptPlusMaxTokensOverContext_Returns400AsVllm()
    {
        var (status, body) = await Http.PostAsync(Client, "/v1/completions",
            $$"""{"model":"{{SimulatorFixture.Model}}","prompt":[1,2,3],"max_tokens":5000}""");

        Assert.Equal(400, status);
        var error = body.GetProperty("error");
        Assert.Equal("BadRequestError", error.GetProperty("type").GetString());
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Equal("max_tokens", error.GetProperty("param").GetString());
        Assert.Equal("'max_tokens' or 'max_completion_tokens' is too large: 5000. This model's maximum context length is 4096 tokens " +
            "and your request has 3 input tokens (5000 > 4096 - 3). (parameter=max_tokens, value=5000)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Completions_PromptFillsContext_Returns400NamingInputTokens()
    {
        string ids = string.Join(',', Enumerable.Range(1, 4096));
        var (status, body) = await Http.PostAsync(Client, "/v1/completions", $$"""{"model":"{{SimulatorFixture.Model}}","prompt":[{{ids}}]}""");

        Assert.Equal(400, status);
        var error = body.GetProperty("error");
        Assert.Equal("input_tokens", error.GetProperty("param").GetString());
        Assert.Equal("This model's maximum context length is 4096 tokens. However, your request has 4096 input tokens. " +
            "Please reduce the length of the input messages. (parameter=input_tokens, value=4096)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Instances_Two_ListenOnDistinctPorts()
    {
        using var second = new HttpClient { BaseAddress = sim.Host.Instances[1].BaseAddress };
        var (status, _) = await Http.GetAsync(second, "/v1/models");

        Assert.Equal(200, status);
        Assert.NotEqual(sim.Host.Instances[0].Port, sim.Host.Instances[1].Port);
    }

    private static string? Content(JsonElement body) =>
        body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
}
