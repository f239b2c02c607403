using System.Buffers;
using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

public class OpenAIRequestParserPromptTests
{
    [Fact]
    public void Parse_ChatStringContents_JoinsMessagesInOrder()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, """
            {"model":"llama-3-8b","messages":[
              {"role":"system","content":"You are terse."},
              {"role":"user","content":"What is a KV cache?"},
              {"role":"assistant","content":"A cache."},
              {"role":"user","content":"More detail."}]}
            """);

        Assert.Equal("You are terse.\nWhat is a KV cache?\nA cache.\nMore detail.", request.PromptText);
        Assert.Equal("llama-3-8b", request.Model);
        Assert.Equal(OpenAIApi.ChatCompletions, request.Api);
        Assert.False(request.PromptIsTokenIds);
    }

    [Fact]
    public void Parse_ChatMessages_RolesAndTextPartsKeptForTheChatTemplate()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, """
            {"model":"m","messages":[
              {"content":"Be \u0062rief.","role":"system"},
              {"role":"user","content":[{"type":"text","text":"Describe"},"bare",{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"this"}]},
              {"role":"assistant","content":null},
              {"role":"reviewer","content":""},
              {"content":"no role"}]}
            """);

        var messages = request.ChatMessages()!;

        Assert.Equal(
            ["system: Be brief.", "user: Describe|this", "assistant: ", "reviewer: ", ": no role"],
            messages.Select(m => $"{m.Role}: {string.Join('|', m.Parts)}"));
    }

    [Fact]
    public void Parse_Completion_NoChatMessages()
    {
        Assert.Null(ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":"hi"}""").ChatMessages());
    }

    [Fact]
    public void Parse_ChatContentParts_KeepsTextSkipsImages()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, """
            {"messages":[{"role":"user","content":[
               {"type":"text","text":"Describe"},
               {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}},
               {"text":"this image","type":"text"},
               {"type":"input_audio","input_audio":{"data":"UklG","format":"wav"}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"text\":\"no\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"sunny"}],
             "model":"m"}
            """);

        Assert.Equal("Describe\nthis image\nsunny", request.PromptText);
    }

    [Fact]
    public void Parse_ChatUnicodeAndEscapes_Unescaped()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions,
            """{"model":"m","messages":[{"role":"user","content":"héllo 世界 🚀 \"q\" \\ \n\t \u00e9\u4e16\ud83d\ude80 \/"}]}""");

        Assert.Equal("héllo 世界 🚀 \"q\" \\ \n\t é世🚀 /", request.PromptText);
        Assert.Equal(Encoding.UTF8.GetByteCount(request.PromptText), request.PromptByteLength);
        Assert.Equal(request.PromptText.Length, request.PromptCharLength);
        Assert.Equal(Encoding.UTF8.GetBytes(request.PromptText), request.PromptUtf8.ToArray());
    }

    [Fact]
    public void Parse_ChatEscapedPropertyNames_Recognized()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions,
            """{"mod\u0065l":"m","m\u0065ssages":[{"role":"user","cont\u0065nt":"hi"}]}""");

        Assert.Equal("m", request.Model);
        Assert.Equal("hi", request.PromptText);
    }

    [Fact]
    public void Parse_ChatEmptyStrings_AddNoSeparators()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions,
            """{"model":"m","messages":[{"role":"user","content":""},{"role":"user","content":"a"},{"role":"user","content":[]},{"role":"user","content":"b"}]}""");

        Assert.Equal("a\nb", request.PromptText);
    }

    [Fact]
    public void Parse_CompletionsString_ReturnsPrompt()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":"Say this is a test"}""");

        Assert.Equal("Say this is a test", request.PromptText);
        Assert.False(request.PromptIsTokenIds);
    }

    [Fact]
    public void Parse_CompletionsStringArray_JoinsWithNewline()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":["one","two","three"]}""");

        Assert.Equal("one\ntwo\nthree", request.PromptText);
    }

    [Fact]
    public void Parse_CompletionsTokenIds_KeepsDecimalTextAndMarksTokenized()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":[1212, 318, 257]}""");

        Assert.Equal("1212 318 257", request.PromptText);
        Assert.True(request.PromptIsTokenIds);
    }

    [Fact]
    public void Parse_CompletionsTokenIdArrays_OneLinePerSequence()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, """{"model":"m","prompt":[[1,2],[3],[4,5,6]]}""");

        Assert.Equal("1 2\n3\n4 5 6", request.PromptText);
        Assert.True(request.PromptIsTokenIds);
    }

    [Fact]
    public void Parse_EmbeddingsString_ReturnsInput()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Embeddings, """{"input":"The food was delicious","model":"text-embedding-3-small","encoding_format":"float"}""");

        Assert.Equal("The food was delicious", request.PromptText);
        Assert.Null(request.MaxTokens);
    }

    [Fact]
    public void Parse_EmbeddingsArray_JoinsInputs()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Embeddings, """{"model":"e","input":["a","b"],"dimensions":256}""");

        Assert.Equal("a\nb", request.PromptText);
    }

    [Fact]
    public void Parse_ResponsesStringInput_ReturnsInput()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Responses, """{"model":"gpt-4.1","input":"Tell me a story."}""");

        Assert.Equal("Tell me a story.", request.PromptText);
    }

    [Fact]
    public void Parse_ResponsesItemsAndLateInstructions_InstructionsFirst()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Responses, """
            {"model":"gpt-4.1","input":[
               {"role":"user","content":"hello"},
               {"type":"message","role":"user","content":[{"type":"input_text","text":"what is in"},{"type":"input_image","image_url":"https://x/y.png"}]},
               {"type":"function_call_output","call_id":"c","output":"ignored"},
               {"type":"message","role":"assistant","content":[{"type":"output_text","text":"a cat","annotations":[]}]}],
             "instructions":"Be brief.","reasoning":{"effort":"low"}}
            """);

        Assert.Equal("Be brief.\nhello\nwhat is in\na cat", request.PromptText);
    }

    [Fact]
    public void Parse_ResponsesNoInput_EmptyPrompt()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Responses, """{"model":"m","previous_response_id":"resp_1","instructions":null}""");

        Assert.Equal("", request.PromptText);
        Assert.Equal(0, request.PromptByteLength);
    }

    [Fact]
    public void Parse_UnknownFieldsOfEveryShape_Skipped()
    {
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, """
            {"temperature":0.7,"logit_bias":{"50256":-100},"tools":[{"type":"function","function":{"name":"messages","parameters":{"type":"object","properties":{"model":{"type":"string"}}}}}],
             "model":"m","n":1,"stop":["\n"],"seed":null,"logprobs":true,"response_format":{"type":"json_schema","json_schema":{"schema":{"messages":[1,[2,{"x":[]}]]}}},
             "messages":[{"role":"user","content":"hi","name":"bob","extra":{"content":"not this"}}],"guided_json":{"a":[{"b":"usage"}]}}
            """);

        Assert.Equal("hi", request.PromptText);
        Assert.Equal("m", request.Model);
    }

    [Fact]
    public void Parse_DeepNestingInUnknownField_Skipped()
    {
        string deep = new string('[', 60) + new string(']', 60);
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, $$"""{"model":"m","extra":{{deep}},"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal("x", request.PromptText);
    }

    [Fact]
    public void Parse_OneMegabytePrompt_CopiedExactly()
    {
        string big = new string('a', 512 * 1024) + "\\n\\u00e9" + new string('b', 512 * 1024);
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.ChatCompletions, $$"""{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"{{big}}"}]}""");

        Assert.Equal(1 + 1 + 512 * 1024 + 2 + 512 * 1024, request.PromptCharLength);
        Assert.StartsWith("s\naaa", request.PromptText, StringComparison.Ordinal);
        Assert.Contains("a\nébb", request.PromptText, StringComparison.Ordinal);
        Assert.EndsWith("bbb", request.PromptText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneMegabyteUnescapedPrompt_BytesMatch()
    {
        string big = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 24_000));
        OpenAIRequest request = ParseAssert.Success(OpenAIApi.Completions, $$"""{"model":"m","prompt":"{{big}}"}""");

        Assert.True(request.PromptByteLength > 1_000_000);
        Assert.Equal(big, request.PromptText);
    }

    [Fact]
    public void Parse_MultiSegmentSequence_SameAsContiguous()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"model":"m","stream":true,"messages":[{"role":"user","content":"h\u00e9llo w\u00f6rld"},{"role":"user","content":[{"type":"text","text":"second part"}]}]}""");
        string expected = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, json).Request!.PromptText;

        for (int size = 1; size <= 16; size++)
        {
            ReadOnlySequence<byte> sequence = Segments.Split(json, size);
            RequestParseResult result = OpenAIRequestParser.Parse(OpenAIApi.ChatCompletions, sequence);
            Assert.True(result.IsSuccess, $"segment size {size}: {result.Error}");
            Assert.Equal(expected, result.Request.PromptText);
            Assert.True(result.Request.Stream);
        }
    }
}
