using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MessagePack;

namespace AIBrix.KvEvents;

// Fields: hashes (integers or bytes), token ids, nullable numbers and strings, keys.
public sealed partial class KvEventDecoder
{
    private int ReadHashes(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        if (count > _hashes.Length)
        {
            _hashes = new ulong[Math.Max(count, _hashes.Length * 2)];
        }

        for (int i = 0; i < count; i++)
        {
            _hashes[i] = ReadHash(ref reader);
        }

        return count;
    }

    private int ReadTokens(ref MessagePackReader reader, bool keep)
    {
        if (reader.TryReadNil())
        {
            return 0;
        }

        if (!keep)
        {
            reader.Skip();
            return 0;
        }

        int count = reader.ReadArrayHeader();
        if (count > _tokens.Length)
        {
            _tokens = new int[Math.Max(count, _tokens.Length * 2)];
        }

        for (int i = 0; i < count; i++)
        {
            _tokens[i] = reader.ReadInt32();
        }

        return count;
    }

    private static ulong? ReadNullableHash(ref MessagePackReader reader) => reader.TryReadNil() ? null : ReadHash(ref reader);

    /// <summary>An integer (msgpack signed or unsigned: the same 64 bits) or bytes (their low 64 bits, big-endian, as vLLM's int form).</summary>
    private static ulong ReadHash(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                byte code = reader.NextCode;
                return code >= MessagePackCode.MinNegativeFixInt || code is >= MessagePackCode.Int8 and <= MessagePackCode.Int64
                    ? unchecked((ulong)reader.ReadInt64())
                    : reader.ReadUInt64();
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes()!.Value;
                Span<byte> low = stackalloc byte[8];
                low.Clear();
                var tail = bytes.Length > 8 ? bytes.Slice(bytes.Length - 8) : bytes;
                tail.CopyTo(low[(8 - (int)tail.Length)..]);
                return BinaryPrimitives.ReadUInt64BigEndian(low);
            default:
                throw new FormatException($"a block hash is an integer or bytes, got {reader.NextMessagePackType}");
        }
    }

    private static double ReadTimestamp(ref MessagePackReader reader) =>
        reader.NextMessagePackType switch
        {
            MessagePackType.Float => reader.ReadDouble(),
            MessagePackType.Integer => reader.ReadInt64(),
            var other => throw new FormatException($"ts is a number, got {other}"),
        };

    private static int? ReadNullableInt(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt32();

    private static string? ReadNullableString(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var text = Key(ref reader);
        // The media vLLM names are few: no string per event for them.
        return text.SequenceEqual("GPU"u8) ? KvEventWire.MediumGpu
            : text.SequenceEqual("CPU"u8) ? "CPU"
            : Encoding.UTF8.GetString(text);
    }

    /// <summary>A string's UTF-8 bytes (a key, a tag), without allocating when the payload is contiguous.</summary>
    private static ReadOnlySpan<byte> Key(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw new FormatException($"expected a string, got {reader.NextMessagePackType}");
        }

        return reader.TryReadStringSpan(out var span) ? span : reader.ReadStringSequence()!.Value.ToArray();
    }

    private static void SkipRest(ref MessagePackReader reader, int count)
    {
        for (int i = 0; i < count; i++)
        {
            reader.Skip();
        }
    }
}
