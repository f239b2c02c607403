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
public sealed partial class KvEventDecoder
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
        where TVisitor : class, IKvEventVisitor
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
        where TVisitor : class, IKvEventVisitor
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
        where TVisitor : class, IKvEventVisitor
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
}
