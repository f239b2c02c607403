using System.Text;
using AIBrix.Gateway.Core.OpenAI;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.Core;

/// <summary>
/// Body-phase parsing and response-phase usage reading. The target is a 1 MB prompt parsed in 5 ms or
/// less; the SSE case is the sample chat stream fed whole and in 64-byte chunks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OpenAIParseBenchmarks
{
    private byte[] _smallChat = [];
    private byte[] _megabytePlain = [];
    private byte[] _megabyteEscaped = [];
    private byte[] _chatStream = [];

    [GlobalSetup]
    public void Setup()
    {
        _smallChat = Encoding.UTF8.GetBytes("""
            {"model":"llama-3-8b-instruct","stream":true,"stream_options":{"include_usage":true},"max_tokens":256,"temperature":0.7,"user":"u-42",
             "messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":[{"type":"text","text":"What is the capital of France?"}]}]}
            """);

        // About 1 MiB of prose; the escaped variant breaks lines with \n escapes as real chat logs do,
        // which forces the unescaping copy instead of the raw one.
        string sentence = "The quick brown fox jumps over the lazy dog while the cache warms up. ";
        string plain = string.Concat(Enumerable.Repeat(sentence, 1024 * 1024 / sentence.Length));
        string escaped = string.Concat(Enumerable.Repeat(sentence.TrimEnd() + "\\n", 1024 * 1024 / sentence.Length));
        _megabytePlain = ChatBody(plain);
        _megabyteEscaped = ChatBody(escaped);
        _chatStream = File.ReadAllBytes(RepoData.PathOf("openai/chat_completion_stream.sse"));
    }

    [Benchmark]
    public int ParseSmallChat() => OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, _smallChat).Request!.PromptByteLength;

    [Benchmark]
    public int ParseOneMegabytePromptPlain() => OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, _megabytePlain).Request!.PromptByteLength;

    [Benchmark]
    public int ParseOneMegabytePromptEscaped() => OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, _megabyteEscaped).Request!.PromptByteLength;

    [Benchmark]
    public int ReadUsageChatStreamWhole()
    {
        using var reader = new ResponseUsageReader(ResponseBodyMode.EventStream);
        reader.Append(_chatStream);
        reader.Complete();
        return reader.Usage!.Value.TotalTokens;
    }

    [Benchmark]
    public int ReadUsageChatStreamChunks64()
    {
        using var reader = new ResponseUsageReader(ResponseBodyMode.EventStream);
        ReadOnlySpan<byte> body = _chatStream;
        for (int offset = 0; offset < body.Length; offset += 64)
        {
            reader.Append(body.Slice(offset, Math.Min(64, body.Length - offset)));
        }

        reader.Complete();
        return reader.Usage!.Value.TotalTokens;
    }

    private static byte[] ChatBody(string userText) => Encoding.UTF8.GetBytes(
        $$"""{"model":"llama-3-8b-instruct","messages":[{"role":"system","content":"Summarize."},{"role":"user","content":"{{userText}}"}],"max_tokens":128}""");
}
