using System.Text;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Tests.Routing.Prefix;

public class PrefixHasherTests
{
    private static ulong[] Hash(PrefixTokenizerKind kind, int blockSize, string prompt)
    {
        var hasher = new PrefixHasher(new PrefixCacheOptions { Tokenizer = kind, BlockSize = blockSize });
        return hasher.Hash(new RoutingRequest { PromptText = prompt, PromptUtf8 = Encoding.UTF8.GetBytes(prompt) }).ToArray();
    }

    [Theory]
    [InlineData(PrefixTokenizerKind.Characters, 4, "abcdefghij", 3)] // 4 + 4 + partial 2
    [InlineData(PrefixTokenizerKind.Bytes, 4, "abcdefgh", 2)]
    [InlineData(PrefixTokenizerKind.Bytes, 4, "é", 1)]
    [InlineData(PrefixTokenizerKind.Characters, 128, "", 0)]
    public void Hash_BlockCount_IncludesTrailingPartialBlock(PrefixTokenizerKind kind, int blockSize, string prompt, int blocks)
    {
        Assert.Equal(blocks, Hash(kind, blockSize, prompt).Length);
    }

    [Fact]
    public void Hash_SharedPrefix_SameLeadingHashesThenDiverge()
    {
        var a = Hash(PrefixTokenizerKind.Characters, 4, "systemprompt-question-one");
        var b = Hash(PrefixTokenizerKind.Characters, 4, "systemprompt-question-two");

        Assert.Equal(a[..5], b[..5]);
        Assert.NotEqual(a[^1], b[^1]);
    }

    [Fact]
    public void Hash_Chained_SameBlockAfterDifferentPrefixDiffers()
    {
        var a = Hash(PrefixTokenizerKind.Characters, 4, "AAAAXXXX");
        var b = Hash(PrefixTokenizerKind.Characters, 4, "BBBBXXXX");

        Assert.NotEqual(a[1], b[1]); // block "XXXX" hashes differently after a different first block
    }

    [Fact]
    public void Hash_Tiktoken_BlocksOfTokens()
    {
        // "hello world" is two cl100k tokens; a long repeated text is many more than its characters / 4... fewer.
        var shortPrompt = Hash(PrefixTokenizerKind.Tiktoken, 1, "hello world");
        var longPrompt = Hash(PrefixTokenizerKind.Tiktoken, 16, string.Concat(Enumerable.Repeat("The quick brown fox jumps. ", 40)));

        Assert.Equal(2, shortPrompt.Length);
        Assert.InRange(longPrompt.Length, 10, 30); // about 6 tokens per sentence, 240 tokens, 15 blocks
    }

    [Fact]
    public void Hash_CalledTwice_ComputedOnceAndKept()
    {
        var hasher = new PrefixHasher(new PrefixCacheOptions { BlockSize = 2 });
        var request = new RoutingRequest { PromptText = "abcd" };
        var first = hasher.Hash(request).ToArray();

        request.PromptText = "zzzz"; // not re-read: the hashes belong to the decision already made

        Assert.Equal(first, hasher.Hash(request).ToArray());
    }
}
