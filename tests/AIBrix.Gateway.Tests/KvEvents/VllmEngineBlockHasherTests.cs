using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.KvEvents;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.Tests.KvEvents;

/// <summary>
/// vLLM's sha256_cbor block hashes against bytes written out by hand here: the canonical CBOR of
/// <c>(parent, token ids, extra keys)</c> as cbor2 writes it, hashed with SHA-256, the event value being the
/// digest's last 8 bytes big-endian.
/// </summary>
public sealed class VllmEngineBlockHasherTests
{
    [Fact]
    public void NoneHash_SeedZero_IsSha256OfTheCborTextString()
    {
        // cbor2.dumps("0") = 0x61 ('text', length 1) 0x30 ('0').
        Assert.Equal(SHA256.HashData(new byte[] { 0x61, 0x30 }), VllmBlockChain.NoneHash("0"));
        // A 24-character seed needs the one-byte length form: 0x78 0x18.
        string seed = new('7', 24);
        Assert.Equal(SHA256.HashData([0x78, 0x18, .. Encoding.ASCII.GetBytes(seed)]), VllmBlockChain.NoneHash(seed));
    }

    [Fact]
    public void BlockHashes_TwoBlocks_ChainThroughTheFullParentDigest()
    {
        int[] tokens = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 23, 24, 255, 256, 65535, 65536, 100000, 128000, 0, 0, 0, 0, 0, 0, 0, 0, 99];
        byte[] none = SHA256.HashData(new byte[] { 0x61, 0x30 });

        // Block 0: [bytes(32) NONE_HASH, [1..16], null].
        byte[] block0 = [0x83, 0x58, 0x20, .. none, 0x90, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xF6];
        byte[] digest0 = SHA256.HashData(block0);
        // Block 1: every integer width canonical CBOR uses (1, 2, 3 and 5 bytes).
        byte[] block1 =
        [
            0x83, 0x58, 0x20, .. digest0, 0x90,
            0x17, 0x18, 0x18, 0x18, 0xFF, 0x19, 0x01, 0x00, 0x19, 0xFF, 0xFF,
            0x1A, 0x00, 0x01, 0x00, 0x00, 0x1A, 0x00, 0x01, 0x86, 0xA0, 0x1A, 0x00, 0x01, 0xF4, 0x00,
            0, 0, 0, 0, 0, 0, 0, 0, 0xF6,
        ];
        byte[] digest1 = SHA256.HashData(block1);

        ulong[] hashes = new VllmBlockChain("0").BlockHashes(tokens, 16);

        Assert.Equal([Low64(digest0), Low64(digest1)], hashes); // the 33rd token is not a full block
    }

    [Fact]
    public void BlockHashes_LoraName_IsTheExtraKeyTuple()
    {
        int[] tokens = [.. Enumerable.Range(1000, 16)];
        byte[] none = SHA256.HashData(new byte[] { 0x62, 0x34, 0x32 }); // "42"
        var ids = new List<byte>();
        foreach (int t in tokens)
        {
            ids.AddRange([0x19, (byte)(t >> 8), (byte)t]);
        }

        // Extra keys ("sql-lora",): an array of one text string.
        byte[] block = [0x83, 0x58, 0x20, .. none, 0x90, .. ids, 0x81, 0x68, .. "sql-lora"u8];

        ulong[] hashes = new VllmBlockChain("42").BlockHashes(tokens, 16, "sql-lora");

        Assert.Equal([Low64(SHA256.HashData(block))], hashes);
        Assert.NotEqual(hashes, new VllmBlockChain("42").BlockHashes(tokens, 16));
    }

    [Fact]
    public void Hash_CompletionWithTokenIds_HashesTheIdsAsSent()
    {
        var request = Routing(OpenAIApi.Completions, $$"""{"model":"m","prompt":[{{string.Join(",", Enumerable.Range(1, 40))}}]}""");
        var chain = new VllmBlockChain("0");

        var (hashes, tokens) = new VllmEngineBlockHasher(chain, 16, tokenizer: null).Hash(request);

        Assert.Equal(40, tokens);
        Assert.Equal(chain.BlockHashes([.. Enumerable.Range(1, 40)], 16), hashes);
        Assert.Equal(2, hashes.Length);
    }

    [Fact]
    public void Hash_TextCompletionWithTokenizer_HashesTheTokenizersIds()
    {
        string prompt = string.Join(" ", Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 12));
        var request = Routing(OpenAIApi.Completions, $$"""{"model":"m","prompt":"{{prompt}}"}""");
        var tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        int[] expectedIds = [.. tokenizer.EncodeToIds(prompt)];
        var chain = new VllmBlockChain("0");

        var (hashes, tokens) = new VllmEngineBlockHasher(chain, 16, tokenizer).Hash(request);

        Assert.Equal(expectedIds.Length, tokens);
        Assert.Equal(expectedIds.Length / 16, hashes.Length);
        Assert.Equal(chain.BlockHashes(expectedIds, 16), hashes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hash_ChatOrTextWithoutTokenizer_NoHashesSoTheEstimateRoutes(bool chat)
    {
        var request = chat
            ? Routing(OpenAIApi.ChatCompletions, """{"model":"m","messages":[{"role":"user","content":"a long enough question about many things"}]}""")
            : Routing(OpenAIApi.Completions, """{"model":"m","prompt":"a long enough question about many things, in plain text"}""");
        var tokenizer = chat ? TiktokenTokenizer.CreateForEncoding("cl100k_base") : null;

        var (hashes, _) = new VllmEngineBlockHasher(new VllmBlockChain("0"), 4, tokenizer).Hash(request);

        Assert.Empty(hashes);
    }

    [Fact]
    public void LoadTokenizer_MissingModelFile_IsAConfigErrorNamingTheSetting()
    {
        var error = Assert.Throws<AIBrix.Gateway.Hosting.InvalidConfigException>(() => EngineBlockHashers.LoadTokenizer("/nonexistent/tokenizer.model"));
        Assert.Contains("routing.kvEvents.tokenizer", error.Message, StringComparison.Ordinal);
    }

    private static ulong Low64(byte[] digest) => BinaryPrimitives.ReadUInt64BigEndian(digest.AsSpan(24));

    private static RoutingRequest Routing(OpenAIApi api, string body)
    {
        var parsed = OpenAIRequestParser.Parse(api, Encoding.UTF8.GetBytes(body));
        Assert.True(parsed.IsSuccess);
        return new RoutingRequest { Model = parsed.Request!.Model, Request = parsed.Request };
    }
}
