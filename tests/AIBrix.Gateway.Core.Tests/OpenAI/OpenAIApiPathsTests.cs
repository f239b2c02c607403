using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class OpenAIApiPathsTests
{
    [Theory]
    [InlineData("/v1/chat/completions", OpenAIApi.ChatCompletions)]
    [InlineData("/v1/completions", OpenAIApi.Completions)]
    [InlineData("/v1/embeddings", OpenAIApi.Embeddings)]
    [InlineData("/v1/responses", OpenAIApi.Responses)]
    [InlineData("/v1/chat/completions?api-version=2024-10-21", OpenAIApi.ChatCompletions)]
    [InlineData("/v1/embeddings/", OpenAIApi.Embeddings)]
    [InlineData("/v1/responses#frag", OpenAIApi.Responses)]
    public void TryGetApi_KnownPath_ReturnsApi(string path, OpenAIApi expected)
    {
        Assert.True(OpenAIApiPaths.TryGetApi(path, out OpenAIApi api));
        Assert.Equal(expected, api);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/v1/models")]
    [InlineData("/v1/chat/completions/extra")]
    [InlineData("/V1/CHAT/COMPLETIONS")]
    [InlineData("/v2/completions")]
    [InlineData("?/v1/completions")]
    public void TryGetApi_UnknownPath_ReturnsFalse(string path)
    {
        Assert.False(OpenAIApiPaths.TryGetApi(path, out _));
    }

    [Theory]
    [InlineData(OpenAIApi.ChatCompletions)]
    [InlineData(OpenAIApi.Completions)]
    [InlineData(OpenAIApi.Embeddings)]
    [InlineData(OpenAIApi.Responses)]
    public void GetPath_EveryApi_RoundTrips(OpenAIApi api)
    {
        Assert.True(OpenAIApiPaths.TryGetApi(OpenAIApiPaths.GetPath(api), out OpenAIApi back));
        Assert.Equal(api, back);
    }
}
