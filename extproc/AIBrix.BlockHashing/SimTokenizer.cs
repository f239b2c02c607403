namespace AIBrix.BlockHashing;

/// <summary>
/// A deterministic, dependency-free stand-in for a BPE tokenizer.
/// </summary>
/// <remarks>
/// Rules, in order: the text is cut into pieces, each piece being optional leading whitespace followed by
/// either a run of letters/digits or one other character (punctuation, symbol); trailing whitespace is a piece
/// of its own. A piece longer than four characters is cut into four-character chunks, so the 4-chars ≈ 1-token
/// rule of thumb holds for long words while short words with their leading space cost one token, about as
/// real BPE vocabularies behave on English. Each chunk is hashed (FNV-1a over its UTF-16 code units) to an id in
/// [<see cref="SpecialTokenCount"/>, <see cref="VocabularySize"/>). Equal text always gives equal ids, which is
/// what prefix caching needs. Special tokens written <c>&lt;|name|&gt;</c> (as chat templates use them) are one
/// token each, with ids below <see cref="SpecialTokenCount"/>.
/// </remarks>
public static class SimTokenizer
{
    /// <summary>Vocabulary size (Llama 3's).</summary>
    public const int VocabularySize = 128_256;

    /// <summary>Ids below this are never produced by hashing (reserved for special tokens).</summary>
    public const int SpecialTokenCount = 256;

    private const int MaxCharsPerToken = 4;

    /// <summary>Tokenizes <paramref name="text"/> into a new array.</summary>
    public static int[] Encode(string text)
    {
        var ids = new List<int>(text.Length / 3 + 1);
        Encode(text, ids);
        return [.. ids];
    }

    /// <summary>Appends the token ids of <paramref name="text"/> to <paramref name="destination"/>.</summary>
    public static void Encode(ReadOnlySpan<char> text, List<int> destination)
    {
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length)
            {
                int special = SpecialTokenLength(text[i..]);
                if (special > 0)
                {
                    i += special;
                    AddSpecial(text[start..i], destination);
                    continue;
                }

                if (char.IsLetterOrDigit(text[i]))
                {
                    while (i < text.Length && char.IsLetterOrDigit(text[i]))
                    {
                        i++;
                    }
                }
                else
                {
                    i++;
                }
            }

            AddPiece(text[start..i], destination);
        }
    }

    /// <summary>Counts tokens without materialising them.</summary>
    public static int Count(string text)
    {
        var ids = new List<int>(text.Length / 3 + 1);
        Encode(text, ids);
        return ids.Count;
    }

    /// <summary>Length of a <c>&lt;|name|&gt;</c> special token at the start of <paramref name="text"/>, else 0.</summary>
    private static int SpecialTokenLength(ReadOnlySpan<char> text)
    {
        if (text.Length < 4 || text[0] != '<' || text[1] != '|')
        {
            return 0;
        }

        int end = text[2..].IndexOf("|>", StringComparison.Ordinal);
        if (end < 0 || end > 32)
        {
            return 0;
        }

        var name = text.Slice(2, end);
        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c))
            {
                return 0;
            }
        }

        return end + 4;
    }

    private static void AddSpecial(ReadOnlySpan<char> piece, List<int> destination)
    {
        // Leading whitespace becomes its own token; the special token maps into the reserved id range.
        int k = 0;
        while (k < piece.Length && char.IsWhiteSpace(piece[k]))
        {
            k++;
        }

        if (k > 0)
        {
            AddPiece(piece[..k], destination);
        }

        uint hash = 2166136261;
        foreach (char c in piece[k..])
        {
            hash = (hash ^ c) * 16777619;
        }

        destination.Add((int)(hash % SpecialTokenCount));
    }

    private static void AddPiece(ReadOnlySpan<char> piece, List<int> destination)
    {
        for (int offset = 0; offset < piece.Length; offset += MaxCharsPerToken)
        {
            var chunk = piece.Slice(offset, Math.Min(MaxCharsPerToken, piece.Length - offset));
            uint hash = 2166136261;
            foreach (char c in chunk)
            {
                hash = (hash ^ c) * 16777619;
            }

            destination.Add(SpecialTokenCount + (int)(hash % (VocabularySize - SpecialTokenCount)));
        }
    }
}
