using System.Buffers;
using MessagePack;

namespace AIBrix.KvEvents;

/// <summary>
/// Writes <see cref="KvEventBatch"/>es as vLLM does (msgspec's msgpack): the batch as <c>[ts, events,
/// data_parallel_rank]</c>, events per <see cref="Encoding"/>. Fields msgspec always writes are always written
/// (nil when null); msgspec's <c>omit_defaults</c> trailing fields (extra keys, KV-cache groups) are not.
/// </summary>
public sealed class KvEventEncoder(KvEventEncoding encoding = KvEventEncoding.Map)
{
    /// <summary>The event layout.</summary>
    public KvEventEncoding Encoding { get; } = encoding;

    /// <summary>Appends the encoded batch to <paramref name="output"/>.</summary>
    public void Encode(KvEventBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(3);
        writer.Write(batch.Timestamp);
        writer.WriteArrayHeader(batch.Events.Count);
        foreach (var e in batch.Events)
        {
            switch (e)
            {
                case BlockStored stored:
                    WriteStored(ref writer, stored);
                    break;
                case BlockRemoved removed:
                    WriteRemoved(ref writer, removed);
                    break;
                case AllBlocksCleared:
                    WriteCleared(ref writer);
                    break;
                default:
                    throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(batch));
            }
        }

        if (batch.DataParallelRank is { } rank)
        {
            writer.Write(rank);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Flush();
    }

    /// <summary>The encoded batch as a new array.</summary>
    public byte[] Encode(KvEventBatch batch)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(batch, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteStored(ref MessagePackWriter writer, BlockStored e)
    {
        if (Encoding == KvEventEncoding.Array)
        {
            writer.WriteArrayHeader(8);
            writer.Write(KvEventWire.BlockStoredTag);
        }
        else
        {
            writer.WriteMapHeader(8);
            writer.Write(KvEventWire.TypeKey);
            writer.Write(KvEventWire.BlockStoredTag);
            writer.Write("block_hashes");
        }

        WriteHashes(ref writer, e.BlockHashes);
        Field(ref writer, "parent_block_hash");
        if (e.ParentBlockHash is { } parent)
        {
            writer.Write(parent);
        }
        else
        {
            writer.WriteNil();
        }

        Field(ref writer, "token_ids");
        writer.WriteArrayHeader(e.TokenIds.Length);
        foreach (int token in e.TokenIds)
        {
            writer.Write(token);
        }

        Field(ref writer, "block_size");
        writer.Write(e.BlockSize);
        Field(ref writer, "lora_id");
        WriteNullable(ref writer, e.LoraId);
        Field(ref writer, "medium");
        WriteNullable(ref writer, e.Medium);
        Field(ref writer, "lora_name");
        WriteNullable(ref writer, e.LoraName);
    }

    private void WriteRemoved(ref MessagePackWriter writer, BlockRemoved e)
    {
        if (Encoding == KvEventEncoding.Array)
        {
            writer.WriteArrayHeader(3);
            writer.Write(KvEventWire.BlockRemovedTag);
        }
        else
        {
            writer.WriteMapHeader(3);
            writer.Write(KvEventWire.TypeKey);
            writer.Write(KvEventWire.BlockRemovedTag);
            writer.Write("block_hashes");
        }

        WriteHashes(ref writer, e.BlockHashes);
        Field(ref writer, "medium");
        WriteNullable(ref writer, e.Medium);
    }

    private void WriteCleared(ref MessagePackWriter writer)
    {
        if (Encoding == KvEventEncoding.Array)
        {
            writer.WriteArrayHeader(1);
        }
        else
        {
            writer.WriteMapHeader(1);
            writer.Write(KvEventWire.TypeKey);
        }

        writer.Write(KvEventWire.AllBlocksClearedTag);
    }

    private void Field(ref MessagePackWriter writer, string name)
    {
        if (Encoding == KvEventEncoding.Map)
        {
            writer.Write(name);
        }
    }

    private static void WriteHashes(ref MessagePackWriter writer, ulong[] hashes)
    {
        writer.WriteArrayHeader(hashes.Length);
        foreach (ulong hash in hashes)
        {
            writer.Write(hash);
        }
    }

    private static void WriteNullable(ref MessagePackWriter writer, int? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static void WriteNullable(ref MessagePackWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(value);
        }
    }
}
