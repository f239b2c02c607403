using System.Text;
using AIBrix.EngineSim;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Turns a trace request's block ids into prompt text and tokens. Each token is a three-letter word with a
/// leading space (" abc"), which <see cref="SimTokenizer"/> counts as exactly one token, so the text and the
/// token ids agree and the prompt has exactly <see cref="TraceRequest.InputTokens"/> tokens. The word at
/// position i of a block depends only on the block id and i: equal ids give equal text, and a shorter last
/// block is a prefix of the full one.
/// </summary>
public static class SyntheticPrompt
{
    private const int Letters = 26;
    private const int Words = Letters * Letters * Letters;
    private static readonly int[] WordTokens = BuildWordTokens();

    /// <summary>The prompt's token ids (what the engine sees).</summary>
    public static int[] Tokens(TraceRequest request)
    {
        var tokens = new int[request.InputTokens];
        int t = 0;
        foreach (long id in request.BlockIds)
        {
            for (int i = 0; i < TraceRequest.BlockTokens && t < tokens.Length; i++)
            {
                tokens[t++] = WordTokens[Word(id, i)];
            }
        }

        return tokens;
    }

    /// <summary>The prompt text (what the gateway sees), <see cref="TraceRequest.InputTokens"/> words.</summary>
    public static string Text(TraceRequest request)
    {
        var text = new StringBuilder(request.InputTokens * 4);
        int t = 0;
        foreach (long id in request.BlockIds)
        {
            for (int i = 0; i < TraceRequest.BlockTokens && t < request.InputTokens; i++, t++)
            {
                AppendWord(text, Word(id, i));
            }
        }

        return text.ToString();
    }

    private static void AppendWord(StringBuilder text, int word)
    {
        text.Append(' ')
            .Append((char)('a' + word / (Letters * Letters)))
            .Append((char)('a' + word / Letters % Letters))
            .Append((char)('a' + word % Letters));
    }

    /// <summary>SplitMix64 over (id, position): cheap, well spread, and the same on every run.</summary>
    private static int Word(long blockId, int position)
    {
        ulong z = unchecked((ulong)blockId * 0x9E3779B97F4A7C15UL + (ulong)position * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % Words);
    }

    private static int[] BuildWordTokens()
    {
        var table = new int[Words];
        var text = new StringBuilder(4);
        for (int w = 0; w < Words; w++)
        {
            text.Clear();
            AppendWord(text, w);
            int[] ids = SimTokenizer.Encode(text.ToString());
            table[w] = ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"'{text}' is not one token");
        }

        return table;
    }
}
