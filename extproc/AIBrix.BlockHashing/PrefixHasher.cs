using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace AIBrix.BlockHashing;

/// <summary>
/// Chained block hashes as vLLM's prefix cache uses them: block <c>i</c>'s hash covers its tokens and block
/// <c>i-1</c>'s hash, so equal hashes mean equal whole prefixes. Public so an oracle router computes the same keys.
/// </summary>
public static class PrefixHasher
{
    /// <summary>Seed of the chain for a request: 0 for the base model, a hash of the adapter name for a LoRA.</summary>
    public static ulong ChainSeed(string? loraAdapter) =>
        string.IsNullOrEmpty(loraAdapter)
            ? 0UL
            : XxHash64.HashToUInt64(MemoryMarshal.AsBytes(loraAdapter.AsSpan()), seed: 0x4C6F5241);

    /// <summary>Hashes of every full block of <paramref name="tokens"/>.</summary>
    public static ulong[] BlockHashes(ReadOnlySpan<int> tokens, int blockSize, ulong chainSeed)
    {
        var hashes = new ulong[tokens.Length / blockSize];
        ulong previous = chainSeed;
        for (int b = 0; b < hashes.Length; b++)
        {
            var block = MemoryMarshal.AsBytes(tokens.Slice(b * blockSize, blockSize));
            previous = XxHash64.HashToUInt64(block, unchecked((long)previous));
            hashes[b] = previous;
        }

        return hashes;
    }
}
