using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MessagePack;

namespace AIBrix.KvEvents;

/// <summary>
/// Decodes vLLM's <c>KVEventBatch</c> payloads (msgpack, as msgspec writes them) and hands the events to a visitor.
/// Tolerant of every shape vLLM has published: the batch as an array <c>[ts, events, data_parallel_rank?]</c> or
/// as a map; each event as a tagged array <c>["BlockStored", block_hashes, parent_block_hash, token_ids,
/// block_size, lora_id, medium, lora_name, ...]</c> (vLLM before its map switch) or as a map with a
/// <c>"type"</c> key (after); unknown trailing elements, unknown keys and unknown event types are skipped; block
/// hashes as integers (signed or unsigned) or bytes (taken as vLLM's integer form: the low 64 bits,
/// big-endian). Not thread-safe: one decoder per stream (it reuses its buffers).
/// </summary>
public sealed class KvEventDecoder
{
    private ulong[] _hashes = new ulong[64];
    private int[] _tokens = new int[1024];

    /// <summary>Events of a type this decoder does not know, skipped so far.</summary>
    public long UnknownEvents { get; private set; }

    /// <summary>
    /// Decodes one payload into <paramref name="visitor"/>. On a malformed payload returns false with the reason;
    /// the events before the bad one were already delivered, so a consumer should treat it like a gap.
    /// </summary>
    public bool TryDecode<TVisitor>(ReadOnlyMemory<byte> payload, TVisitor visitor, out string? error)
        where TVisitor : IKvEventVisitor
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var reader = new MessagePackReader(payload);
        try
        {
            DecodeBatch(ref reader, visitor);
            error = null;
            return true;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or FormatException or OverflowException)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Decodes one payload into a <see cref="KvEventBatch"/> (token ids included).</summary>
    public bool TryDecode(ReadOnlyMemory<byte> payload, out KvEventBatch? batch, out string? error)
    {
        var builder = new KvEventBatchBuilder();
        batch = TryDecode(payload, builder, out error) ? builder.Batch : null;
        return batch is not null;
    }

    private void DecodeBatch<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : IKvEventVisitor
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
            {
                int length = reader.ReadArrayHeader();
                if (length < 2)
                {
                    throw new FormatException($"a batch is [ts, events, data_parallel_rank?], got an array of {length}");
                }

                visitor.OnBatchStart(ReadTimestamp(ref reader));
                DecodeEvents(ref reader, visitor);
                int? rank = length >= 3 ? ReadNullableInt(ref reader) : null;
                SkipRest(ref reader, length - 3);
                visitor.OnBatchEnd(rank);
                return;
            }

            case MessagePackType.Map:
                DecodeMapBatch(ref reader, visitor);
                return;
            default:
                throw new FormatException($"a batch is an array or a map, got {reader.NextMessagePackType}");
        }
    }

    private void DecodeMapBatch<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : IKvEventVisitor
    {
        int count = reader.ReadMapHeader();
        // The timestamp starts the visit, so find it first on a copy of the reader (keys may come in any order).
        var scan = reader;
        double ts = double.NaN;
        for (int i = 0; i < count; i++)
        {
            if (Key(ref scan).SequenceEqual(KvEventWire.TsUtf8))
            {
                ts = ReadTimestamp(ref scan);
            }
            else
            {
                scan.Skip();
            }
        }

        if (double.IsNaN(ts))
        {
            throw new FormatException("the batch map has no 'ts'");
        }

        visitor.OnBatchStart(ts);
        int? rank = null;
        bool events = false;
        for (int i = 0; i < count; i++)
        {
            var key = Key(ref reader);
            if (key.SequenceEqual(KvEventWire.EventsUtf8))
            {
                DecodeEvents(ref reader, visitor);
                events = true;
            }
            else if (key.SequenceEqual(KvEventWire.DataParallelRankUtf8))
            {
                rank = ReadNullableInt(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (!events)
        {
            throw new FormatException("the batch map has no 'events'");
        }

        visitor.OnBatchEnd(rank);
    }

    private void DecodeEvents<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : IKvEventVisitor
    {
        int count = reader.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    DecodeArrayEvent(ref reader, visitor);
                    break;
                case MessagePackType.Map:
                    DecodeMapEvent(ref reader, visitor);
                    break;
                default:
                    throw new FormatException($"event {i} is neither a tagged array nor a map ({reader.NextMessagePackType})");
            }
        }
    }

    private void DecodeArrayEvent<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : IKvEventVisitor
    {
        int length = reader.ReadArrayHeader();
        if (length == 0)
        {
            throw new FormatException("an event array needs its tag first");
        }

        var tag = Key(ref reader);
        if (tag.SequenceEqual(KvEventWire.BlockStoredUtf8))
        {
            if (length < 5)
            {
                throw new FormatException($"BlockStored needs block_hashes, parent_block_hash, token_ids and block_size, got {length - 1} fields");
            }

            int hashes = ReadHashes(ref reader);
            ulong? parent = ReadNullableHash(ref reader);
            int tokens = ReadTokens(ref reader, visitor.WantsTokenIds);
            int blockSize = reader.ReadInt32();
            int? loraId = length > 5 ? ReadNullableInt(ref reader) : null;
            string? medium = length > 6 ? ReadNullableString(ref reader) : null;
            string? loraName = length > 7 ? ReadNullableString(ref reader) : null;
            SkipRest(ref reader, length - 8);
            visitor.OnBlockStored(new BlockStoredView(_hashes.AsSpan(0, hashes), parent, _tokens.AsSpan(0, tokens), blockSize, loraId, loraName, medium));
        }
        else if (tag.SequenceEqual(KvEventWire.BlockRemovedUtf8))
        {
            if (length < 2)
            {
                throw new FormatException("BlockRemoved needs block_hashes");
            }

            int hashes = ReadHashes(ref reader);
            string? medium = length > 2 ? ReadNullableString(ref reader) : null;
            SkipRest(ref reader, length - 3);
            visitor.OnBlockRemoved(_hashes.AsSpan(0, hashes), medium);
        }
        else if (tag.SequenceEqual(KvEventWire.AllBlocksClearedUtf8))
        {
            SkipRest(ref reader, length - 1);
            visitor.OnAllBlocksCleared();
        }
        else
        {
            SkipRest(ref reader, length - 1);
            UnknownEvents++;
        }
    }

    private void DecodeMapEvent<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : IKvEventVisitor
    {
        int count = reader.ReadMapHeader();
        EventKind kind = EventKind.Unknown;
        int hashes = -1, tokens = 0;
        int? blockSize = null, loraId = null;
        ulong? parent = null;
        string? medium = null, loraName = null;
        for (int i = 0; i < count; i++)
        {
            var key = Key(ref reader);
            if (key.SequenceEqual(KvEventWire.TypeUtf8))
            {
                var tag = Key(ref reader);
                kind = tag.SequenceEqual(KvEventWire.BlockStoredUtf8) ? EventKind.Stored
                    : tag.SequenceEqual(KvEventWire.BlockRemovedUtf8) ? EventKind.Removed
                    : tag.SequenceEqual(KvEventWire.AllBlocksClearedUtf8) ? EventKind.Cleared
                    : EventKind.Unknown;
            }
            else if (key.SequenceEqual(KvEventWire.BlockHashesUtf8))
            {
                hashes = ReadHashes(ref reader);
            }
            else if (key.SequenceEqual(KvEventWire.ParentBlockHashUtf8))
            {
                parent = ReadNullableHash(ref reader);
            }
            else if (key.SequenceEqual(KvEventWire.TokenIdsUtf8))
            {
                tokens = ReadTokens(ref reader, visitor.WantsTokenIds);
            }
            else if (key.SequenceEqual(KvEventWire.BlockSizeUtf8))
            {
                blockSize = ReadNullableInt(ref reader);
            }
            else if (key.SequenceEqual(KvEventWire.LoraIdUtf8))
            {
                loraId = ReadNullableInt(ref reader);
            }
            else if (key.SequenceEqual(KvEventWire.MediumUtf8))
            {
                medium = ReadNullableString(ref reader);
            }
            else if (key.SequenceEqual(KvEventWire.LoraNameUtf8))
            {
                loraName = ReadNullableString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        switch (kind)
        {
            case EventKind.Stored:
                if (hashes < 0 || blockSize is null)
                {
                    throw new FormatException("BlockStored needs block_hashes and block_size");
                }

                visitor.OnBlockStored(new BlockStoredView(_hashes.AsSpan(0, hashes), parent, _tokens.AsSpan(0, tokens), blockSize.Value, loraId, loraName, medium));
                break;
            case EventKind.Removed:
                if (hashes < 0)
                {
                    throw new FormatException("BlockRemoved needs block_hashes");
                }

                visitor.OnBlockRemoved(_hashes.AsSpan(0, hashes), medium);
                break;
            case EventKind.Cleared:
                visitor.OnAllBlocksCleared();
                break;
            default:
                UnknownEvents++;
                break;
        }
    }

    private enum EventKind
    {
        Unknown,
        Stored,
        Removed,
        Cleared,
    }

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
