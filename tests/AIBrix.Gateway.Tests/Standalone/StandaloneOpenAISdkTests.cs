using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>The standalone gateway as users meet it: the official OpenAI .NET SDK against simulated engines.</summary>
public class StandaloneOpenAISdkTests(StandaloneFixture fleet) : IClassFixture<StandaloneFixture>
{
    private ChatClient Chat(string model = StandaloneFixture.Model) =>
        new(model, new ApiKeyCredential("not-checked"), new OpenAIClientOptions { Endpoint = new Uri(fleet.Gateway.BaseAddress, "/v1") });

    [Fact]
    public async Task CompleteChat_ThroughGateway_AnswersWithUsage()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync(
            [new UserChatMessage("What is the capital of France?")],
            new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughGateway_StreamsChunksAndUsage()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        int updates = 0;

        await foreach (var update in Chat().CompleteChatStreamingAsync(
            [new UserChatMessage("Tell me a story.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 12 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.True(updates >= 12, $"only {updates} updates: the stream was buffered or cut");
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(12, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task LegacyCompletions_ThroughGateway_Answer()
    {
        using var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/completions", Json($$"""{"model":"{{StandaloneFixture.Model}}","prompt":"Once upon a time","max_tokens":5}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("text_completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains(response.Headers.GetValues("target-pod").Single(), fleet.Addresses);
        Assert.Equal("least-request", response.Headers.GetValues("routing-strategy").Single());
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_Is404ModelNotFound()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Chat("gpt-9-ultra").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, e.Status);
        Assert.Contains("model_not_found", e.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400WithOpenAIErrorBody()
    {
        using var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/chat/completions", Json("{\"model\": \"llama-sim\", \"messages\": [}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Headers.Contains("x-error-request-body-processing"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Post_UnsupportedApi_Is501()
    {
        using var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/images/generations", Json("{\"model\":\"llama-sim\",\"prompt\":\"a cat\"}"));

        Assert.Equal((HttpStatusCode)501, response.StatusCode);
    }

    [Fact]
    public async Task ListModels_ShowsTheServedModel()
    {
        using var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/v1/models"));

        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        var model = Assert.Single(doc.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(StandaloneFixture.Model, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
    }

    [Fact]
    public async Task CompleteChatStreaming_TwentyConcurrentStreams_AllCompleteAndSpread()
    {
        var client = Chat();
        var tasks = Enumerable.Range(0, 20).Select(async i =>
        {
            int tokens = 0;
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage($"stream {i}")], new ChatCompletionOptions { MaxOutputTokenCount = 10 }))
            {
                tokens += update.ContentUpdate.Count;
                if (update.Usage is { } usage)
                {
                    Assert.Equal(10, usage.OutputTokenCount);
                }
            }

            return tokens;
        });

        var counts = await Task.WhenAll(tasks);

        Assert.All(counts, c => Assert.True(c >= 10));
        await fleet.Gateway.WaitUntilAsync(s => s.All.All(e => e.InFlight == 0), "all streams settled");
        Assert.True(fleet.Gateway.Registry.Current.All.Count(e => e.Served > 0) >= 3, "least-request should spread 20 streams over the 4 pods");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
