using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class OpenAIRequestParserErrorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t ")]
    public void Parse_EmptyBody_EmptyBody(string body)
    {
        ParseAssert.Failure(OpenAIApi.ChatCompletions, body, RequestParseErrorKind.EmptyBody, null);
    }

    [Theory]
    [InlineData("{\"model\":")]
    [InlineData("{\"model\":\"m\",}")]
    [InlineData("{'model':'m'}")]
    [InlineData("{\"model\":\"m\"} {}")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]")]
    [InlineData("not json")]
    public void Parse_MalformedJson_MalformedWithReaderDetail(string body)
    {
        RequestParseError error = ParseAssert.Failure(OpenAIApi.ChatCompletions, body, RequestParseErrorKind.MalformedJson, null);

        Assert.StartsWith("request body is not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LoneSurrogateEscapeInPrompt_Malformed()
    {
        ParseAssert.Failure(OpenAIApi.Completions, """{"model":"m","prompt":"a\ud800b"}""", RequestParseErrorKind.MalformedJson, null);
    }

    [Fact]
    public void Parse_InvalidUtf8InPrompt_Malformed()
    {
        byte[] body = [.. "{\"model\":\"m\",\"prompt\":\"a"u8, 0xff, 0xc3, .. "b\"}"u8];

        var single = OpenAIRequestParser.Parse(OpenAIApi.Completions, body);
        var split = OpenAIRequestParser.Parse(OpenAIApi.Completions, Segments.Split(body, 3));

        Assert.Equal(RequestParseErrorKind.MalformedJson, single.Error!.Kind);
        Assert.Contains("not valid UTF-8", single.Error.Message, StringComparison.Ordinal);
        Assert.Equal(RequestParseErrorKind.MalformedJson, split.Error!.Kind);
    }

    [Fact]
    public void Parse_MultiByteCharacterAcrossSegments_Parses()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"prompt\":\"\u00e9\u4e2d\u00e9\u4e2d\"}");

        for (int size = 1; size < 8; size++)
        {
            Assert.True(OpenAIRequestParser.Parse(OpenAIApi.Completions, Segments.Split(body, size)).IsSuccess, $"segments of {size}");
        }
    }

    [Fact]
    public void Parse_NestingBeyond64_Malformed()
    {
        string deep = new string('[', 100) + new string(']', 100);
        ParseAssert.Failure(OpenAIApi.ChatCompletions, $$"""{"model":"m","x":{{deep}}}""", RequestParseErrorKind.MalformedJson, null);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"model\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_NotAnObject_NotAnObject(string body)
    {
        ParseAssert.Failure(OpenAIApi.Completions, body, RequestParseErrorKind.NotAnObject, null);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":null,"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"x"}]}""")]
    public void Parse_NoModel_MissingModel(string body)
    {
        RequestParseError error = ParseAssert.Failure(OpenAIApi.ChatCompletions, body, RequestParseErrorKind.MissingModel, "model");

        Assert.Equal("model is required", error.Message);
    }

    [Theory]
    [InlineData(OpenAIApi.ChatCompletions, "messages")]
    [InlineData(OpenAIApi.Completions, "prompt")]
    [InlineData(OpenAIApi.Embeddings, "input")]
    public void Parse_NoPromptField_MissingField(OpenAIApi api, string param)
    {
        RequestParseError error = ParseAssert.Failure(api, """{"model":"m"}""", RequestParseErrorKind.MissingField, param);

        Assert.Equal($"{param} is required", error.Message);
    }

    [Theory]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":42,"messages":[]}""", "model")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":{"name":"m"}}""", "model")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","messages":"hi"}""", "messages")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","messages":[]}""", "messages")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","messages":["hi"]}""", "messages")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","messages":[{"role":"user","content":42}]}""", "messages")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","messages":[{"role":"user","content":[7]}]}""", "messages")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","max_tokens":-1}""", "max_tokens")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","max_tokens":1.5}""", "max_tokens")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","max_tokens":"10"}""", "max_tokens")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","max_tokens":99999999999}""", "max_tokens")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","max_completion_tokens":true}""", "max_completion_tokens")]
    [InlineData(OpenAIApi.Responses, """{"model":"m","max_output_tokens":-5}""", "max_output_tokens")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","stream":"yes"}""", "stream")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","stream_options":true}""", "stream_options")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","stream_options":{"include_usage":1}}""", "stream_options.include_usage")]
    [InlineData(OpenAIApi.ChatCompletions, """{"model":"m","user":7}""", "user")]
    [InlineData(OpenAIApi.Completions, """{"model":"m","prompt":null}""", "prompt")]
    [InlineData(OpenAIApi.Completions, """{"model":"m","prompt":{"text":"x"}}""", "prompt")]
    [InlineData(OpenAIApi.Completions, """{"model":"m","prompt":["a",1]}""", "prompt")]
    [InlineData(OpenAIApi.Completions, """{"model":"m","prompt":[1,-2]}""", "prompt")]
    [InlineData(OpenAIApi.Completions, """{"model":"m","prompt":[[1,"a"]]}""", "prompt")]
    [InlineData(OpenAIApi.Embeddings, """{"model":"m","input":[true]}""", "input")]
    [InlineData(OpenAIApi.Responses, """{"model":"m","input":42}""", "input")]
    [InlineData(OpenAIApi.Responses, """{"model":"m","input":["x"]}""", "input")]
    [InlineData(OpenAIApi.Responses, """{"model":"m","instructions":["x"]}""", "instructions")]
    public void Parse_WrongType_InvalidFieldWithParam(OpenAIApi api, string body, string param)
    {
        RequestParseError error = ParseAssert.Failure(api, body, RequestParseErrorKind.InvalidField, param);

        Assert.Contains(param.Split('.')[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidFieldBeforeMissingModel_ReportsFirstProblem()
    {
        ParseAssert.Failure(OpenAIApi.ChatCompletions, """{"max_tokens":-1}""", RequestParseErrorKind.InvalidField, "max_tokens");
    }

    [Fact]
    public void Parse_MultiSegmentWhitespace_EmptyBody()
    {
        RequestParseResult result = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, Segments.Split(Encoding.UTF8.GetBytes("  \n\t  \r\n "), 2));

        Assert.Equal(RequestParseErrorKind.EmptyBody, result.Error?.Kind);
    }

    [Fact]
    public void Parse_MultiSegmentTruncated_Malformed()
    {
        RequestParseResult result = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, Segments.Split(Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"content":"abc"""), 3));

        Assert.Equal(RequestParseErrorKind.MalformedJson, result.Error?.Kind);
    }
}
