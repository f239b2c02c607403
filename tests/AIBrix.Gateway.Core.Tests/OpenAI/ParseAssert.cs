using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

internal static class ParseAssert
{
    public static OpenAIRequest Success(OpenAIApi api, string json)
    {
        RequestParseResult result = OpenAIRequestParser.Parse(api, Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, $"expected success, got {result.Error}");
        return result.Request;
    }

    public static RequestParseError Failure(OpenAIApi api, string json, RequestParseErrorKind kind, string? param)
    {
        RequestParseResult result = OpenAIRequestParser.Parse(api, Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, "expected a parse error");
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(param, result.Error.Param);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        return result.Error;
    }
}
