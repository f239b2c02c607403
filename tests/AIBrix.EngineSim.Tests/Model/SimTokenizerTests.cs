namespace AIBrix.EngineSim.Tests.Model;

public class SimTokenizerTests
{
    [Fact]
    public void Encode_SameText_SameIds()
    {
        Assert.Equal(SimTokenizer.Encode("The KV cache, reused."), SimTokenizer.Encode("The KV cache, reused."));
    }

    [Fact]
    public void Encode_ShortWordsAndPunctuation_OneTokenEach()
    {
        // " the" " cat" "," " sat" "." → five tokens.
        Assert.Equal(5, SimTokenizer.Encode("the cat, sat.").Length);
    }

    [Fact]
    public void Encode_LongWord_FourCharsPerToken()
    {
        Assert.Equal(5, SimTokenizer.Encode("internationalization").Length); // 20 chars
    }

    [Fact]
    public void Encode_SpecialToken_IsOneReservedId()
    {
        int[] ids = SimTokenizer.Encode("<|eot_id|>");

        Assert.Single(ids);
        Assert.InRange(ids[0], 0, SimTokenizer.SpecialTokenCount - 1);
    }
}
