using AIBrix.Bench.Replay;
using AIBrix.EngineSim;

namespace AIBrix.Bench.Tests.Replay;

public sealed class SyntheticPromptTests
{
    [Fact]
    public void Tokens_MatchTheSimulatorTokenizerOnTheText()
    {
        var request = new TraceRequest(0, 1100, 5, [7, 8, 9]);

        int[] tokens = SyntheticPrompt.Tokens(request);

        Assert.Equal(1100, tokens.Length);
        Assert.Equal(tokens, SimTokenizer.Encode(SyntheticPrompt.Text(request)));
    }

    [Fact]
    public void Tokens_EqualLeadingIdsGiveEqualPrefixes()
    {
        int[] a = SyntheticPrompt.Tokens(new TraceRequest(0, 1024 + 100, 5, [1, 2, 3]));
        int[] b = SyntheticPrompt.Tokens(new TraceRequest(0, 1024 + 300, 5, [1, 2, 4]));
        int[] c = SyntheticPrompt.Tokens(new TraceRequest(0, 700, 5, [1, 2]));

        Assert.Equal(a.AsSpan(0, 1024).ToArray(), b.AsSpan(0, 1024).ToArray());
        Assert.NotEqual(a.AsSpan(1024, 100).ToArray(), b.AsSpan(1024, 100).ToArray());
        Assert.Equal(c, a.AsSpan(0, 700).ToArray());
    }
}
