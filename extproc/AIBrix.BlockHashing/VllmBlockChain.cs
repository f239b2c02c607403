using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AIBrix.BlockHashing;

/// <summary>
/// vLLM's prefix-cache block hashes with <c>--prefix-caching-hash-algo sha256_cbor</c> (vLLM v1,
/// <c>vllm/v1/core/kv_cache_utils.py</c>): block <c>i</c>'s hash is SHA-256 over the canonical CBOR of the
/// tuple <c>(parent hash, token ids, extra keys)</c>, the parent of the first block being <c>NONE_HASH</c> =
/// SHA-256 over the CBOR of the <c>PYTHONHASHSEED</c> string. Extra keys are <c>null</c> for a base-model text
/// prompt and <c>(lora_name,)</c> for a LoRA adapter. The value published in KV events (and returned here) is the
/// digest's last 8 bytes read big-endian, as vLLM's <c>VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES</c> (the default) does.
/// </summary>
/// <remarks>
/// Not reproducible here: <c>sha256</c> (pickle) and <c>builtin</c> (Python's <c>hash()</c>), a vLLM started
/// without <c>PYTHONHASHSEED</c> (its seed is then random per process), multimodal inputs, <c>cache_salt</c>
/// and prompt embeddings (further extra keys).
/// </remarks>
public sealed class VllmBlockChain
{
    private const int DigestLength = 32;
    private readonly byte[] _noneHash;

    /// <summary>The chain for engines started with <c>PYTHONHASHSEED=<paramref name="pythonHashSeed"/></c>.</summary>
    public VllmBlockChain(string pythonHashSeed)
    {
        ArgumentNullException.ThrowIfNull(pythonHashSeed);
        _noneHash = NoneHash(pythonHashSeed);
    }

    /// <summary>vLLM's <c>NONE_HASH</c>: SHA-256 of the seed as a CBOR text string.</summary>
    public static byte[] NoneHash(string pythonHashSeed)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteText(writer, pythonHashSeed);
        return SHA256.HashData(writer.WrittenSpan);
    }

    /// <summary>The 64-bit event hashes of every full block of <paramref name="tokens"/>.</summary>
    public ulong[] BlockHashes(ReadOnlySpan<int> tokens, int blockSize, string? loraName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var hashes = new ulong[tokens.Length / blockSize];
        Span<byte> parent = stackalloc byte[DigestLength];
        _noneHash.CopyTo(parent);
        var writer = new ArrayBufferWriter<byte>(64 + blockSize * 5);
        for (int b = 0; b < hashes.Length; b++)
        {
            writer.ResetWrittenCount();
            WriteBlock(writer, parent, tokens.Slice(b * blockSize, blockSize), loraName);
            SHA256.HashData(writer.WrittenSpan, parent);
            hashes[b] = BinaryPrimitives.ReadUInt64BigEndian(parent[(DigestLength - 8)..]);
        }

        return hashes;
    }

    /// <summary>The CBOR of one block's tuple: <c>[parent bytes, [token ids], extra keys or null]</c>.</summary>
    private static void WriteBlock(IBufferWriter<byte> writer, ReadOnlySpan<byte> parent, ReadOnlySpan<int> tokens, string? loraName)
    {
        WriteHead(writer, 4, 3); // array of 3
        WriteHead(writer, 2, (ulong)parent.Length); // byte string
        writer.Write(parent);
        WriteHead(writer, 4, (ulong)tokens.Length);
        foreach (int token in tokens)
        {
            if (token >= 0)
            {
                WriteHead(writer, 0, (ulong)token);
            }
            else
            {
                WriteHead(writer, 1, (ulong)(-1L - token)); // negative integers never occur in token ids, but encode them right
            }
        }

        if (loraName is null)
        {
            writer.GetSpan(1)[0] = 0xF6; // null
            writer.Advance(1);
        }
        else
        {
            WriteHead(writer, 4, 1);
            WriteText(writer, loraName);
        }
    }

    private static void WriteText(IBufferWriter<byte> writer, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        WriteHead(writer, 3, (ulong)length);
        Encoding.UTF8.GetBytes(text, writer.GetSpan(length));
        writer.Advance(length);
    }

    /// <summary>A CBOR head in its shortest form (canonical CBOR never uses a longer one).</summary>
    private static void WriteHead(IBufferWriter<byte> writer, int major, ulong value)
    {
        var span = writer.GetSpan(9);
        byte type = (byte)(major << 5);
        int written;
        if (value < 24)
        {
            span[0] = (byte)(type | (byte)value);
            written = 1;
        }
        else if (value <= byte.MaxValue)
        {
            span[0] = (byte)(type | 24);
            span[1] = (byte)value;
            written = 2;
        }
        else if (value <= ushort.MaxValue)
        {
            span[0] = (byte)(type | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            written = 3;
        }
        else if (value <= uint.MaxValue)
        {
            span[0] = (byte)(type | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            written = 5;
        }
        else
        {
            span[0] = (byte)(type | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            written = 9;
        }

        writer.Advance(written);
    }
}
