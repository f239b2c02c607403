using System.Text.Json;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Core.Tests.Errors;

public class ErrorMappingTests
{
    [Theory]
    [InlineData(GatewayErrorKind.InvalidRequestBody, 400, "invalid_request_error")]
    [InlineData(GatewayErrorKind.MissingModel, 400, "invalid_request_error")]
    [InlineData(GatewayErrorKind.InvalidRoutingStrategy, 400, "invalid_request_error")]
    [InlineData(GatewayErrorKind.UnknownModel, 404, "invalid_request_error")]
    [InlineData(GatewayErrorKind.UnsupportedPath, 501, "invalid_request_error")]
    [InlineData(GatewayErrorKind.BodyTooLarge, 413, "invalid_request_error")]
    [InlineData(GatewayErrorKind.NoReadyEndpoint, 503, "service_unavailable_error")]
    [InlineData(GatewayErrorKind.Internal, 500, "server_error")]
    public void Shape_EachKind_HasItsStatusAndType(GatewayErrorKind kind, int status, string type)
    {
        var shape = ErrorMapping.Shape(kind);

        Assert.Equal(status, shape.StatusCode);
        Assert.Equal(type, shape.Type);
        Assert.StartsWith("x-error-", shape.HeaderName, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_EveryKind_IsMapped()
    {
        foreach (var kind in Enum.GetValues<GatewayErrorKind>())
        {
            var shape = ErrorMapping.Shape(kind);
            Assert.True(kind == GatewayErrorKind.Internal || shape.StatusCode != 500, $"{kind} falls through to 500");
        }
    }

    [Fact]
    public void Body_UnknownModel_MatchesOpenAIShape()
    {
        var body = ErrorMapping.Body(GatewayError.UnknownModel("gpt-9"));

        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("The model `gpt-9` does not exist.", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Single(doc.RootElement.EnumerateObject());
    }

    [Fact]
    public void Body_NullParamAndCode_WrittenAsJsonNull()
    {
        var body = ErrorMapping.Body(GatewayError.InvalidBody("request body is not valid JSON"));

        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public void Response_ErrorWithCause_HeaderCarriesTheCauseThenRequestIdThenItsOwnHeaders()
    {
        var error = GatewayError.UnknownModel("gpt-9") with { Headers = [new("retry-after", "1")] };

        var response = ErrorMapping.Response(error, "r-1");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("x-error-no-model-backends", response.Cause);
        KeyValuePair<string, string>[] expected = [new("content-type", "application/json"), new("x-error-no-model-backends", "gpt-9"), new("request-id", "r-1"), new("retry-after", "1")];
        Assert.Equal(expected, response.Headers);
        Assert.Equal(ErrorMapping.Body(error), response.Body);
    }

    [Fact]
    public void Response_ErrorWithoutCauseOrRequestId_HeaderSaysTrueAndNoRequestId()
    {
        var response = ErrorMapping.Response(GatewayError.InvalidApiKey("no key"), null);

        KeyValuePair<string, string>[] expected = [new("content-type", "application/json"), new("x-error-invalid-api-key", "true")];
        Assert.Equal(expected, response.Headers);
    }

    [Fact]
    public void Response_CauseWithControlCharacters_IsSanitized()
    {
        var response = ErrorMapping.Response(GatewayError.InvalidStrategy("a\r\nset-cookie: x", "random"), "");

        Assert.Equal("a??set-cookie: x", response.Headers[1].Value);
    }

    [Fact]
    public void Body_HugeClientInput_QuotedCutWithItsLength()
    {
        string strategy = new('x', 100_000);

        var error = GatewayError.InvalidStrategy(strategy, "random, least-request");
        var response = ErrorMapping.Response(error, "r-1");

        using var doc = JsonDocument.Parse(response.Body);
        string message = doc.RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.True(message.Length < 400, $"message is {message.Length} chars");
        Assert.Contains("(100000 chars)", message, StringComparison.Ordinal);
        Assert.EndsWith("known strategies: random, least-request", message, StringComparison.Ordinal);
        Assert.Equal(HeaderValues.MaxLength, response.Headers[1].Value.Length);
    }

    [Fact]
    public void Message_BuiltOutsideTheFactories_StillBounded()
    {
        var error = GatewayError.InvalidBody(new string('y', 50_000), new string('p', 5_000)) with { Message = new string('z', 9_000) };

        Assert.True(error.Message.Length <= GatewayError.MaxMessageLength);
        Assert.True(error.Param!.Length <= GatewayError.MaxMessageLength);
        Assert.EndsWith("(9000 chars)", error.Message, StringComparison.Ordinal);
        Assert.True(ErrorMapping.Body(error).Length < 3 * GatewayError.MaxMessageLength);
    }
}
