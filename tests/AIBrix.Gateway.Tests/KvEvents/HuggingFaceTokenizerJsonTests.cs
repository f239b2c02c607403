using System.Text;
using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.KvEvents;

namespace AIBrix.Gateway.Tests.KvEvents;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> written here by hand (a byte-level BPE in the layout the <c>tokenizers</c>
/// library saves: GPT-2's pre-tokenizer, merges, added tokens, a <c>TemplateProcessing</c> beginning-of-sequence
/// token) loaded for the vLLM hasher; the ids expected are worked out from its merges by hand.
/// </summary>
public sealed class HuggingFaceTokenizerJsonTests
{
    // Ids: single byte-level symbols, then merged pieces, then the added tokens. 'Ġ' is the space, 'Ċ' the newline.
    private const string TokenizerJson = """
        {
          "version": "1.0",
          "added_tokens": [
            {"id": 17, "content": "<|bos|>", "special": true, "normalized": false},
            {"id": 18, "content": "<|im_start|>", "special": true, "normalized": false},
            {"id": 19, "content": "<|im_end|>", "special": true, "normalized": false}
          ],
          "normalizer": null,
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
          "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|bos|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [], "special_tokens": {}},
          "decoder": {"type": "ByteLevel"},
          "model": {
            "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null, "end_of_word_suffix": null,
            "fuse_unk": false, "byte_fallback": false,
            "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11,
                      "Ġw": 12, "or": 13, "Ġwor": 14, "Ġworl": 15, "Ġworld": 16, "Ċ": 20, "a": 21, "s": 22, "i": 23, "t": 24,
                      "n": 25, "u": 26},
            "merges": ["h e", "l l", "he ll", "hell o", "Ġ w", ["o", "r"], ["Ġw", "or"], "Ġwor l", "Ġworl d"]
          }
        }
        """;

    [Fact]
    public void Load_ByteLevelBpe_MergesAsTheFileSaysAndReturnsTheBeginningOfSequence()
    {
        var (tokenizer, bos) = HuggingFaceTokenizerJson.Load(new MemoryStream(Encoding.UTF8.GetBytes(TokenizerJson)));

        Assert.Equal([11, 16], tokenizer.EncodeToIds("hello world"));
        Assert.Equal([8, 2, 16], tokenizer.EncodeToIds("hel world")); // "he" + "l": no merge makes "hel"
        Assert.Equal(17, bos);
    }

    [Fact]
    public void Hash_TextCompletion_BeginningOfSequenceFirstThenTheTokenizersIds()
    {
        var chain = new VllmBlockChain("0");
        var hasher = Hasher(chain, ChatTemplateKind.None);

        var (hashes, tokens) = hasher.Hash(Routing(OpenAIApi.Completions, """{"model":"m","prompt":"hello world hello world"}"""));

        // "hello", " world", " hello" (Ġ + hello: no merge joins Ġ and h), " world".
        int[] expected = [17, 11, 16, 4, 11, 16];
        Assert.Equal(expected.Length, tokens);
        Assert.Equal(chain.BlockHashes(expected, 2), hashes);
    }

    [Fact]
    public void Hash_ChatWithChatMlTemplate_RenderedThenTokenizedWithoutAddedTokens()
    {
        var chain = new VllmBlockChain("0");
        var hasher = Hasher(chain, ChatTemplateKind.ChatMl);

        var (hashes, tokens) = hasher.Hash(Routing(OpenAIApi.ChatCompletions, """{"model":"m","messages":[{"role":"user","content":"hello world"}]}"""));

        // <|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n: the template writes the special tokens.
        int[] expected = [18, 26, 22, 1, 6, 20, 11, 16, 19, 20, 18, 21, 22, 22, 23, 22, 24, 21, 25, 24, 20];
        Assert.Equal(expected.Length, tokens);
        Assert.Equal(chain.BlockHashes(expected, 2), hashes);
    }

    [Fact]
    public void Hash_ChatWithoutTemplate_NoHashesSoTheEstimateRoutes()
    {
        var (hashes, _) = Hasher(new VllmBlockChain("0"), ChatTemplateKind.None)
            .Hash(Routing(OpenAIApi.ChatCompletions, """{"model":"m","messages":[{"role":"user","content":"hello world"}]}"""));

        Assert.Empty(hashes);
    }

    [Theory]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {}}}""", "model type 'WordPiece' is not supported")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Metaspace"}}""", "pre_tokenizer 'Metaspace' is not supported")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel"}, "normalizer": {"type": "Lowercase"}}""", "normalizer 'Lowercase' is not supported")]
    [InlineData("""{"version": "1.0"}""", "no \"model\" object")]
    [InlineData("""{"model": """, "not JSON")]
    public void LoadTokenizer_UnsupportedOrBrokenFile_ConfigErrorSaysWhy(string json, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-tokenizer-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var error = Assert.Throws<InvalidConfigException>(() => EngineBlockHashers.LoadTokenizer(path));

            string message = Assert.Single(error.Errors);
            Assert.Contains("routing.kvEvents.tokenizer", message, StringComparison.Ordinal);
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadTokenizer_MissingJsonFile_ConfigErrorNamesTheFile()
    {
        var error = Assert.Throws<InvalidConfigException>(() => EngineBlockHashers.LoadTokenizer("/nonexistent/tokenizer.json"));

        Assert.Contains("'/nonexistent/tokenizer.json' is not a Hugging Face tokenizer.json", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    private static VllmEngineBlockHasher Hasher(VllmBlockChain chain, ChatTemplateKind template)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-tokenizer-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, TokenizerJson);
        try
        {
            var (tokenizer, bos) = EngineBlockHashers.LoadTokenizer(path)!.Value;
            return new VllmEngineBlockHasher(chain, 2, tokenizer, beginningOfSequenceId: bos, chatTemplate: template);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static RoutingRequest Routing(OpenAIApi api, string body)
    {
        var parsed = OpenAIRequestParser.Parse(api, Encoding.UTF8.GetBytes(body));
        Assert.True(parsed.IsSuccess);
        return new RoutingRequest { Model = parsed.Request!.Model, Request = parsed.Request };
    }
}
