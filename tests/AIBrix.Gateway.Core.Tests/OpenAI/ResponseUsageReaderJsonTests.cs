using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class ResponseUsageReaderJsonTests
{
    [Fact]
    public void Complete_ChatCompletionSampleEveryChunkSize_ReadsUsage()
    {
        byte[] body = SampleData.Read("chat_completion.json");
        for (int size = 1; size <= body.Length; size++)
        {
            ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, body, size);
            Assert.True(new Usage(31, 43, 74, 0) == reader.Usage, $"chunk size {size}: {reader.Usage}");
        }
    }

    [Fact]
    public void Complete_CompletionSample_NoCachedTokens()
    {
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, SampleData.Read("completion.json"), 64);

        Assert.Equal(new Usage(12, 24, 36, null), reader.Usage);
        Assert.Equal(0, reader.MalformedEventCount);
    }

    [Fact]
    public void Complete_ResponsesApiBody_ReadsInputOutputNames()
    {
        const string Body = """
            {"id":"resp_1","object":"response","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"usage: lots","annotations":[]}]}],
             "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":12},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}
            """;

        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, Encoding.UTF8.GetBytes(Body), 7);

        Assert.Equal(new Usage(36, 87, 123, 12), reader.Usage);
    }

    [Fact]
    public void Complete_UsageOnlyNested_NoUsage()
    {
        const string Body = """{"choices":[{"message":{"content":"{\"usage\":{\"prompt_tokens\":1}}","usage":{"prompt_tokens":5}}}],"metadata":{"usage":{"total_tokens":9}}}""";

        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, Encoding.UTF8.GetBytes(Body), 1000);

        Assert.Null(reader.Usage);
    }

    [Fact]
    public void Complete_TotalMissing_SumsCounts()
    {
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, """{"usage":{"prompt_tokens":3,"completion_tokens":4}}"""u8.ToArray(), 5);

        Assert.Equal(new Usage(3, 4, 7, null), reader.Usage);
    }

    [Fact]
    public void Complete_EmbeddingsUsage_ZeroCompletion()
    {
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, """{"object":"list","data":[{"embedding":[0.1,-0.2]}],"usage":{"prompt_tokens":8,"total_tokens":8}}"""u8.ToArray(), 9);

        Assert.Equal(new Usage(8, 0, 8, null), reader.Usage);
    }

    [Fact]
    public void Complete_BodyOverCap_NoUsageAndFlag()
    {
        var reader = new ResponseUsageReader(ResponseBodyMode.Json, maxJsonBodyBytes: 64);
        reader.Append("""{"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3},"pad":" """u8);
        reader.Append(new byte[64]);
        reader.Complete();

        Assert.True(reader.BodyTooLarge);
        Assert.Null(reader.Usage);
    }

    [Fact]
    public void Complete_TruncatedJson_NoUsageCountedMalformed()
    {
        byte[] body = SampleData.Read("chat_completion.json");
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.Json, body[..^20], 100);

        Assert.Null(reader.Usage);
        Assert.Equal(1, reader.MalformedEventCount);
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var reader = new ResponseUsageReader(ResponseBodyMode.Json);
        reader.Complete();

        Assert.Throws<ObjectDisposedException>(() => reader.Append("{}"u8));
    }

    [Fact]
    public void Complete_ModeNone_IgnoresBody()
    {
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.None, SampleData.Read("chat_completion.json"), 100);

        Assert.Null(reader.Usage);
        Assert.Equal(0, reader.EventCount);
    }

    [Theory]
    [InlineData("application/json", ResponseBodyMode.Json)]
    [InlineData("Application/JSON; charset=utf-8", ResponseBodyMode.Json)]
    [InlineData("application/problem+json", ResponseBodyMode.Json)]
    [InlineData("text/event-stream", ResponseBodyMode.EventStream)]
    [InlineData(" text/event-stream ; charset=utf-8", ResponseBodyMode.EventStream)]
    [InlineData("text/plain", ResponseBodyMode.None)]
    [InlineData("", ResponseBodyMode.None)]
    [InlineData(null, ResponseBodyMode.None)]
    public void GetMode_ContentType_Mapped(string? contentType, ResponseBodyMode expected)
    {
        Assert.Equal(expected, ResponseUsageReader.GetMode(contentType));
        Assert.Equal(expected, ResponseUsageReader.ForContentType(contentType).Mode);
    }
}
