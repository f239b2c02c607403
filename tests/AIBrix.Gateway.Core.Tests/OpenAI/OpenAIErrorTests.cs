using System.Text;
using System.Text.Json;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class OpenAIErrorTests
{
    [Fact]
    public void Serialize_AllFields_WritesExactShape()
    {
        byte[] body = OpenAIError.Serialize("Invalid value for 'temperature': must be between 0 and 2.", "invalid_request_error", "temperature", "invalid_value");

        Assert.Equal(
            """{"error":{"message":"Invalid value for 'temperature': must be between 0 and 2.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Serialize_NullParamAndCode_WritesJsonNulls()
    {
        byte[] body = OpenAIError.Serialize("boom", "server_error", null, null);

        Assert.Equal("""{"error":{"message":"boom","type":"server_error","param":null,"code":null}}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Serialize_QuotesAndControlChars_StaysValidJson()
    {
        byte[] body = OpenAIError.Serialize("bad \"model\"\n\u00e9", "invalid_request_error", null, "x");

        using JsonDocument doc = JsonDocument.Parse(body);
        Assert.Equal("bad \"model\"\n\u00e9", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("error_400_context_length_exceeded.json")]
    [InlineData("error_400_invalid_value.json")]
    [InlineData("error_401_invalid_api_key.json")]
    [InlineData("error_404_model_not_found.json")]
    [InlineData("error_429_rate_limit_exceeded.json")]
    [InlineData("error_500_server_error.json")]
    public void Serialize_SampleErrorFields_ReproducesSampleDocument(string file)
    {
        using JsonDocument sample = JsonDocument.Parse(SampleData.Read(file));
        JsonElement error = sample.RootElement.GetProperty("error");

        byte[] body = OpenAIError.Serialize(
            error.GetProperty("message").GetString()!,
            error.GetProperty("type").GetString()!,
            error.GetProperty("param").GetString(),
            error.GetProperty("code").GetString());

        string expected = JsonSerializer.Serialize(sample.RootElement);
        using JsonDocument ours = JsonDocument.Parse(body);
        Assert.Equal(expected, JsonSerializer.Serialize(ours.RootElement));
    }

    [Fact]
    public void ToErrorBody_MissingModel_CarriesParamAndType()
    {
        RequestParseResult result = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, """{"messages":[{"role":"user","content":"hi"}]}"""u8);

        using JsonDocument doc = JsonDocument.Parse(result.Error!.ToErrorBody());
        JsonElement error = doc.RootElement.GetProperty("error");
        Assert.Equal("model is required", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }
}
