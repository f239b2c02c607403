using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class OpenAIRequestParserFieldTests
{
    private const string Messages = """ "messages":[{"role":"user","content":"hi"}] """;

    [Fact]
    public void Parse_NoOptionalFields_Defaults()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, $$"""{"model":"m",{{Messages}}}""");

        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Null(request.MaxTokens);
        Assert.Null(request.User);
    }

    [Fact]
    public void Parse_StreamWithIncludeUsage_BothTrue()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions,
            $$"""{"model":"m","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true},{{Messages}}}""");

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Theory]
    [InlineData("\"stream\":false,\"stream_options\":{\"include_usage\":false}", false, false)]
    [InlineData("\"stream\":null,\"stream_options\":null", false, false)]
    [InlineData("\"stream\":true", true, false)]
    [InlineData("\"stream\":true,\"stream_options\":{}", true, false)]
    [InlineData("\"stream_options\":{\"include_usage\":true}", false, true)]
    public void Parse_StreamVariants_Reported(string fields, bool stream, bool includeUsage)
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, $$"""{"model":"m","prompt":"p",{{fields}}}""");

        Assert.Equal(stream, request.Stream);
        Assert.Equal(includeUsage, request.IncludeUsage);
    }

    [Theory]
    [InlineData(OpenAIApi.ChatCompletions, "\"max_tokens\":100", 100)]
    [InlineData(OpenAIApi.ChatCompletions, "\"max_completion_tokens\":200", 200)]
    [InlineData(OpenAIApi.ChatCompletions, "\"max_completion_tokens\":200,\"max_tokens\":100", 200)]
    [InlineData(OpenAIApi.ChatCompletions, "\"max_tokens\":100,\"max_completion_tokens\":200", 200)]
    [InlineData(OpenAIApi.ChatCompletions, "\"max_tokens\":0", 0)]
    [InlineData(OpenAIApi.Completions, "\"max_tokens\":16", 16)]
    [InlineData(OpenAIApi.Responses, "\"max_output_tokens\":512", 512)]
    public void Parse_MaxTokensVariants_Reported(OpenAIApi api, string field, int expected)
    {
        string prompt = api switch
        {
            OpenAIApi.ChatCompletions => Messages,
            OpenAIApi.Completions => "\"prompt\":\"p\"",
            _ => "\"input\":\"p\"",
        };
        OpenAIRequest request = ParseAssert.Success(api, $$"""{"model":"m",{{field}},{{prompt}}}""");

        Assert.Equal(expected, request.MaxTokens);
    }

    [Theory]
    [InlineData(OpenAIApi.Completions, "\"max_completion_tokens\":7,\"prompt\":\"p\"")]
    [InlineData(OpenAIApi.Responses, "\"max_tokens\":7,\"input\":\"p\"")]
    [InlineData(OpenAIApi.Embeddings, "\"max_tokens\":7,\"input\":\"p\"")]
    public void Parse_MaxTokensFieldOfAnotherApi_Ignored(OpenAIApi api, string fields)
    {
        OpenAIRequest request = ParseAssert.Success(api, $$"""{"model":"m",{{fields}}}""");

        Assert.Null(request.MaxTokens);
    }

    [Fact]
    public void Parse_User_Reported()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Embeddings, """{"model":"m","input":"x","user":"user-1234"}""");

        Assert.Equal("user-1234", request.User);
    }

    [Fact]
    public void Parse_DuplicatePromptField_LastWins()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":[1,2],"prompt":"text"}""");

        Assert.Equal("text", request.PromptText);
        Assert.False(request.PromptIsTokenIds);
    }

    [Fact]
    public void Parse_ReadOnlyMemoryPrompt_IsStableAcrossCalls()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":"abc"}""");

        Assert.Same(request.PromptText, request.PromptText);
        Assert.Equal("abc"u8.ToArray(), request.PromptUtf8.ToArray());
    }

    [Fact]
    public void Parse_Utf8BomPrefix_Accepted()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"model":"m","prompt":"p"}"""u8];

        RequestParseResult result = OpenAIRequestParser.Parse(OpenAIApi.Completions, body);

        Assert.True(result.IsSuccess);
        Assert.Equal("p", result.Request.PromptText);
    }
}
