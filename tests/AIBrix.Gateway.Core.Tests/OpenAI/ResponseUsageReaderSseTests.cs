using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class ResponseUsageReaderSseTests
{
    private static readonly Usage ChatStreamUsage = new(25, 14, 39, 0);
    private static readonly Usage CompletionStreamUsage = new(9, 16, 25, null);

    [Fact]
    public void Append_ChatStreamSampleEveryChunkSize_SameResult()
    {
        byte[] body = SampleData.Read("chat_completion_stream.sse");
        for (int size = 1; size <= body.Length; size++)
        {
            ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.EventStream, body, size);
            Assert.True(reader.Usage == ChatStreamUsage, $"chunk size {size}: {reader.Usage}");
            Assert.True(reader.SawDone, $"chunk size {size}: no [DONE]");
            Assert.Equal(17, reader.EventCount);
            Assert.Equal(14, reader.ContentEventCount);
            Assert.Equal(0, reader.MalformedEventCount);
        }
    }

    [Fact]
    public void Append_CompletionStreamSampleEveryChunkSize_SameResult()
    {
        byte[] body = SampleData.Read("completion_stream.sse");
        for (int size = 1; size <= body.Length; size++)
        {
            ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.EventStream, body, size);
            Assert.True(reader.Usage == CompletionStreamUsage, $"chunk size {size}: {reader.Usage}");
            Assert.True(reader.SawDone);
            Assert.Equal(18, reader.EventCount);
            Assert.Equal(16, reader.ContentEventCount);
        }
    }

    [Fact]
    public void Append_ChatStreamWithCrLfFramingEveryChunkSize_SameResult()
    {
        byte[] body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SampleData.Read("chat_completion_stream.sse")).Replace("\n", "\r\n", StringComparison.Ordinal));
        for (int size = 1; size <= 64; size++)
        {
            ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.EventStream, body, size);
            Assert.True(reader.Usage == ChatStreamUsage, $"chunk size {size}: {reader.Usage}");
            Assert.Equal(17, reader.EventCount);
            Assert.True(reader.SawDone);
        }
    }

    [Fact]
    public void Append_SmallStreamEverySplitPoint_SameResult()
    {
        const string Stream = "data: {\"choices\":[{\"delta\":{\"content\":\"hé\"}}],\"usage\":null}\r\n\r\n"
            + ": keep-alive\n\n"
            + "event: chunk\ndata: {\"choices\":[{\"delta\":{\"content\":\"usage\"}}],\ndata: \"usage\":null}\r\r"
            + "data: {\"choices\":[],\r\ndata: \"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6,\"prompt_tokens_details\":{\"cached_tokens\":3}}}\r\n\r\n"
            + "data: [DONE]\n\n";
        byte[] body = Encoding.UTF8.GetBytes(Stream);
        for (int split = 0; split <= body.Length; split++)
        {
            ResponseUsageReader reader = UsageFeed.SplitAt(ResponseBodyMode.EventStream, body, split);
            Assert.True(reader.Usage == new Usage(4, 2, 6, 3), $"split {split}: {reader.Usage}");
            Assert.Equal(3, reader.EventCount);
            Assert.Equal(2, reader.ContentEventCount);
            Assert.True(reader.SawDone);
            Assert.Equal(0, reader.MalformedEventCount);
        }
    }

    [Fact]
    public void Append_UsageWordInGeneratedTextAndNested_Ignored()
    {
        ResponseUsageReader reader = UsageFeed.Sse("""
            data: {"choices":[{"delta":{"content":"\"usage\":{\"prompt_tokens\":99}"},"usage":{"prompt_tokens":98}}],"usage":null}

            data: {"choices":[{"delta":{"content":"usage"}}],"meta":{"usage":{"prompt_tokens":97,"completion_tokens":1}}}


            """, 5);

        Assert.Null(reader.Usage);
        Assert.Equal(2, reader.ContentEventCount);
        Assert.False(reader.SawDone);
    }

    [Fact]
    public void Append_NullUsageAfterReal_LastNonNullWins()
    {
        ResponseUsageReader reader = UsageFeed.Sse("""
            data: {"usage":null}

            data: {"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}

            data: {"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}

            data: {"usage":null}

            """);

        Assert.Equal(new Usage(5, 6, 11, null), reader.Usage);
    }

    [Fact]
    public void Append_EventsAfterDone_Ignored()
    {
        ResponseUsageReader reader = UsageFeed.Sse("""
            data: {"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}

            data: [DONE]

            data: {"usage":{"prompt_tokens":7,"completion_tokens":7,"total_tokens":14}}


            """, 3);

        Assert.True(reader.SawDone);
        Assert.Equal(new Usage(1, 1, 2, null), reader.Usage);
        Assert.Equal(1, reader.EventCount);
    }

    [Fact]
    public void Complete_TruncatedStream_NoUsage()
    {
        byte[] body = SampleData.Read("chat_completion_stream.sse");
        int lastEvent = Encoding.UTF8.GetString(body).LastIndexOf("data: {", StringComparison.Ordinal);
        ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.EventStream, body[..(lastEvent + 40)], 17);

        Assert.Null(reader.Usage);
        Assert.False(reader.SawDone);
        Assert.Equal(14, reader.ContentEventCount);
        Assert.Equal(1, reader.MalformedEventCount);
    }

    [Fact]
    public void Complete_LastEventWithoutBlankLine_StillRead()
    {
        ResponseUsageReader reader = UsageFeed.Sse("data: {\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}", 4);

        Assert.Equal(new Usage(2, 3, 5, null), reader.Usage);
    }

    [Fact]
    public void Dispose_BeforeComplete_NoUsageFromPendingEvent()
    {
        var reader = new ResponseUsageReader(ResponseBodyMode.EventStream);
        reader.Append("data: {\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}"u8);
        reader.Dispose();

        Assert.Null(reader.Usage);
        Assert.True(reader.IsCompleted);
    }

    [Fact]
    public void Append_ResponsesApiStream_UsageFromResponseCompleted()
    {
        ResponseUsageReader reader = UsageFeed.Sse("""
            event: response.created
            data: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","usage":null}}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}

            event: response.output_text.delta
            data: {"delta":" there","type":"response.output_text.delta"}

            event: response.output_text.done
            data: {"type":"response.output_text.done","text":"Hi there"}

            event: response.completed
            data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[{"content":[{"text":"usage"}]}],"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":2,"total_tokens":12}}}


            """, 11);

        Assert.Equal(new Usage(10, 2, 12, 4), reader.Usage);
        Assert.Equal(2, reader.ContentEventCount);
        Assert.Equal(5, reader.EventCount);
        Assert.False(reader.SawDone);
    }

    [Fact]
    public void Append_FirstChunkRoleOnly_FirstTokenNotSeen()
    {
        var reader = new ResponseUsageReader(ResponseBodyMode.EventStream);
        reader.Append("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"u8);
        Assert.False(reader.FirstTokenSeen);
        Assert.Equal(1, reader.EventCount);

        reader.Append("data: {\"choices\":[{\"delta\":{\"content\":\"A\"}}]}\n"u8);
        Assert.False(reader.FirstTokenSeen);

        reader.Append("\n"u8);
        Assert.True(reader.FirstTokenSeen);
    }

    [Fact]
    public void Append_ReasoningAndToolCallDeltas_CountAsContent()
    {
        ResponseUsageReader reader = UsageFeed.Sse("""
            data: {"choices":[{"delta":{"reasoning_content":"think"}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[]}}]}


            """);

        Assert.Equal(2, reader.ContentEventCount);
    }

    [Fact]
    public void Append_MultipleDataLines_JoinedWithNewline()
    {
        ResponseUsageReader reader = UsageFeed.Sse("data: {\"usage\":\ndata: {\"prompt_tokens\":1,\ndata:\"completion_tokens\":2}}\n\n", 2);

        Assert.Equal(new Usage(1, 2, 3, null), reader.Usage);
        Assert.Equal(0, reader.MalformedEventCount);
    }

    [Fact]
    public void Append_OversizedEvent_SkippedAndFlagged()
    {
        string huge = "data: {\"choices\":[{\"delta\":{\"content\":\"" + new string('x', 5000) + "\"}}]}\n\n";
        string stream = huge + "data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n";
        byte[] body = Encoding.UTF8.GetBytes(stream);

        foreach (int size in new[] { 1, 7, 100, 4096, body.Length })
        {
            ResponseUsageReader reader = UsageFeed.Chunked(ResponseBodyMode.EventStream, body, size, maxEventBytes: 1024);
            Assert.Equal(1, reader.OversizedEventCount);
            Assert.Equal(new Usage(1, 1, 2, null), reader.Usage);
            Assert.Equal(1, reader.EventCount);
            Assert.True(reader.SawDone);
        }
    }

    [Fact]
    public void Append_MalformedEvent_CountedAndSkipped()
    {
        ResponseUsageReader reader = UsageFeed.Sse("data: {not json\n\ndata: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":0}}\n\ndata:\n\n");

        Assert.Equal(1, reader.MalformedEventCount);
        Assert.Equal(new Usage(1, 0, 1, null), reader.Usage);
    }
}
