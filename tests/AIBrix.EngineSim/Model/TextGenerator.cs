namespace AIBrix.EngineSim;

/// <summary>
/// Deterministic output text: token <c>i</c> of a response is a word picked by a SplitMix64 stream seeded with the
/// simulator seed and a hash of the prompt, so the same seed and prompt always give the same text and length.
/// </summary>
public static class TextGenerator
{
    private static readonly string[] Words =
    [
        " the", " cache", " model", " token", " request", " prefix", " batch", " engine", " latency", " of",
        " and", " to", " a", " in", " is", " that", " for", " with", " as", " on", " GPU", " memory", " block",
        " routing", " gateway", " adapter", " queue", " step", " prompt", " output", " fast", " simple",
        " each", " this", " we", " it", " can", " will", " more", " less", " when", " then", ".", ",",
    ];

    /// <summary>A 64-bit stream key for a response.</summary>
    public static ulong StreamKey(long seed, ReadOnlySpan<int> promptTokens)
    {
        ulong h = Mix(unchecked((ulong)seed) ^ 0x9E3779B97F4A7C15UL);
        foreach (int t in promptTokens)
        {
            h = Mix(h ^ (uint)t);
        }

        return h;
    }

    /// <summary>The text of output token <paramref name="index"/> (0-based).</summary>
    public static string TokenText(ulong streamKey, int index) =>
        Words[(int)(Mix(streamKey + (ulong)index) % (ulong)Words.Length)];

    /// <summary>A value in [0, 1) derived from the stream key, for sampling lengths.</summary>
    public static double Uniform(ulong streamKey, ulong salt) => (Mix(streamKey ^ salt) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Output length when the request gives no max_tokens: uniform on [1, 2·mean − 1], capped.</summary>
    public static int SampleOutputLength(ulong streamKey, int mean, int cap)
    {
        int upper = Math.Max(1, 2 * mean - 1);
        int length = 1 + (int)(Uniform(streamKey, 0xA5A5) * upper);
        return Math.Clamp(length, 1, Math.Max(1, cap));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
