using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class StreamUsageTests
{
    private const string Delta = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n";
    private const string UsageOnly = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n";
    private const string Done = "data: [DONE]\n\n";

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":false}}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":null}""")]
    public void AddIncludeUsage_SetsTheOptionAndKeepsTheRest(string body)
    {
        byte[] rewritten = StreamUsage.AddIncludeUsage(Encoding.UTF8.GetBytes(body))!;

        var parsed = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, rewritten);
        Assert.True(parsed.Request!.IncludeUsage);
        Assert.True(parsed.Request.Stream);
        Assert.Equal("m", parsed.Request.Model);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Filter_RemovesOnlyTheUsageChunk_WhateverTheChunking(int chunkSize)
    {
        byte[] stream = Encoding.UTF8.GetBytes(Delta + Delta + UsageOnly + Done);
        var filter = new UsageChunkFilter();
        var output = new List<byte>();

        for (int offset = 0; offset < stream.Length; offset += chunkSize)
        {
            int length = Math.Min(chunkSize, stream.Length - offset);
            output.AddRange(filter.Filter(stream.AsSpan(offset, length), false));
        }

        output.AddRange(filter.Filter([], true));

        Assert.Equal(Delta + Delta + Done, Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(1, filter.Removed);
    }

    [Fact]
    public void Filter_ContentChunkCarryingUsage_IsKept()
    {
        // Some engines put usage on the last content chunk: it has choices, so it is the client's data.
        string last = "data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"total_tokens\":3}}\n\n";
        var filter = new UsageChunkFilter();

        byte[] output = filter.Filter(Encoding.UTF8.GetBytes(last + Done), true);

        Assert.Equal(last + Done, Encoding.UTF8.GetString(output));
    }
}
