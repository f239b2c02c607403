using System.Buffers;
using MessagePack;

namespace AIBrix.KvEvents.Tests.Decoding;

/// <summary>
/// The decoder against msgpack built here field by field (MessagePackWriter primitives or literal bytes), in
/// every layout vLLM has published, never with the library's own encoder.
/// </summary>
public sealed class KvEventDecoderTests
{
    /// <summary>A real vLLM 0.26 block hash: above long.MaxValue, so msgpack's uint64.</summary>
    private const ulong BigHash = 15760518052499183552UL;

    private delegate void Build(ref MessagePackWriter writer);

    private static byte[] Bytes(Build build)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        build(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static RecordingHandler Decode(byte[] payload, bool wantsTokens = true)
    {
        var handler = new RecordingHandler(wantsTokens);
        Assert.True(new KvEventDecoder().TryDecode(payload, handler, out string? error), error);
        return handler;
    }

    private static void Tokens(ref MessagePackWriter w, int count)
    {
        w.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            w.Write(100 + i);
        }
    }

    [Fact]
    public void TryDecode_LiteralBytes_ClearedBatch()
    {
        // [1.5, [["AllBlocksCleared"]]]: fixarray(2), float64 1.5, fixarray(1), fixarray(1), fixstr(16).
        byte[] payload = [0x92, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x91, 0x91, 0xb0, .. "AllBlocksCleared"u8];

        var handler = Decode(payload);

        Assert.Equal([1.5], handler.Timestamps);
        Assert.Equal(["cleared"], handler.Log);
        Assert.Equal([null], handler.Ranks);
    }

    [Fact]
    public void TryDecode_ArrayLikeEvents_AllFieldsAndRank()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(1_767_225_600.25);
            w.WriteArrayHeader(2);
            w.WriteArrayHeader(8);
            w.Write("BlockStored");
            w.WriteArrayHeader(2);
            w.Write(BigHash);
            w.Write(42UL);
            w.Write(7UL);
            Tokens(ref w, 32);
            w.Write(16);
            w.WriteNil();
            w.Write("GPU");
            w.Write("sql-lora");
            w.WriteArrayHeader(3);
            w.Write("BlockRemoved");
            w.WriteArrayHeader(1);
            w.Write(BigHash);
            w.Write("GPU");
            w.Write(0);
        });

        var handler = Decode(payload);

        var stored = Assert.IsType<BlockStored>(handler.Events[0]);
        Assert.Equal([BigHash, 42UL], stored.BlockHashes);
        Assert.Equal(7UL, stored.ParentBlockHash);
        Assert.Equal(Enumerable.Range(100, 32), stored.TokenIds);
        Assert.Equal(16, stored.BlockSize);
        Assert.Null(stored.LoraId);
        Assert.Equal("GPU", stored.Medium);
        Assert.Equal("sql-lora", stored.LoraName);
        Assert.Equal([BigHash], Assert.IsType<BlockRemoved>(handler.Events[1]).BlockHashes);
        Assert.Equal([1_767_225_600.25], handler.Timestamps);
        Assert.Equal([0], handler.Ranks);
    }

    [Fact]
    public void TryDecode_OldestLayout_NoMediumNoRank()
    {
        // vLLM's first release of the stream: [ts, events], BlockStored without medium and lora_name, BlockRemoved without medium.
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(3.0);
            w.WriteArrayHeader(2);
            w.WriteArrayHeader(6);
            w.Write("BlockStored");
            w.WriteArrayHeader(1);
            w.Write(5UL);
            w.WriteNil();
            Tokens(ref w, 16);
            w.Write(16);
            w.Write(3);
            w.WriteArrayHeader(2);
            w.Write("BlockRemoved");
            w.WriteArrayHeader(1);
            w.Write(5UL);
        });

        var handler = Decode(payload);

        var stored = Assert.IsType<BlockStored>(handler.Events[0]);
        Assert.Null(stored.ParentBlockHash);
        Assert.Equal(3, stored.LoraId);
        Assert.Null(stored.Medium);
        Assert.Null(Assert.IsType<BlockRemoved>(handler.Events[1]).Medium);
        Assert.Equal([null], handler.Ranks);
    }

    [Fact]
    public void TryDecode_ArrayEventsWithUnknownTrailingFields_SkipsThem()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(4);
            w.Write(1.0);
            w.WriteArrayHeader(2);
            w.WriteArrayHeader(11);
            w.Write("BlockStored");
            w.WriteArrayHeader(1);
            w.Write(9UL);
            w.Write(8UL);
            Tokens(ref w, 16);
            w.Write(16);
            w.WriteNil();
            w.Write("GPU");
            w.WriteNil();
            w.WriteArrayHeader(1); // extra_keys: [null]
            w.WriteNil();
            w.Write(0); // group_idx
            w.Write("full_attention");
            w.WriteArrayHeader(1);
            w.Write("AllBlocksCleared");
            w.Write(2);
            w.WriteMapHeader(1); // a future batch field
            w.Write("x");
            w.Write(true);
        });

        var handler = Decode(payload);

        Assert.Equal(["stored 9", "cleared"], handler.Log);
        Assert.Equal([2], handler.Ranks);
    }

    [Fact]
    public void TryDecode_MapEvents_KeysInAnyOrderUnknownOnesSkipped()
    {
        // vLLM after its switch to map-encoded events, as captured from 0.26: tag under "type", extra keys present.
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(10.5);
            w.WriteArrayHeader(3);
            w.WriteMapHeader(11);
            w.Write("token_ids");
            Tokens(ref w, 16);
            w.Write("type");
            w.Write("BlockStored");
            w.Write("block_hashes");
            w.WriteArrayHeader(1);
            w.Write(BigHash);
            w.Write("parent_block_hash");
            w.WriteNil();
            w.Write("block_size");
            w.Write(16);
            w.Write("lora_id");
            w.WriteNil();
            w.Write("medium");
            w.Write("GPU");
            w.Write("lora_name");
            w.WriteNil();
            w.Write("extra_keys");
            w.WriteArrayHeader(1);
            w.WriteNil();
            w.Write("group_idx");
            w.Write(0);
            w.Write("kv_cache_spec_kind");
            w.Write("full_attention");
            w.WriteMapHeader(3);
            w.Write("type");
            w.Write("BlockRemoved");
            w.Write("block_hashes");
            w.WriteArrayHeader(2);
            w.Write(BigHash);
            w.Write(1UL);
            w.Write("medium");
            w.Write("CPU");
            w.WriteMapHeader(1);
            w.Write("type");
            w.Write("AllBlocksCleared");
            w.Write(0);
        });

        var handler = Decode(payload);

        var stored = Assert.IsType<BlockStored>(handler.Events[0]);
        Assert.Equal([BigHash], stored.BlockHashes);
        Assert.Equal(16, stored.TokenIds.Length);
        var removed = Assert.IsType<BlockRemoved>(handler.Events[1]);
        Assert.Equal([BigHash, 1UL], removed.BlockHashes);
        Assert.Equal("CPU", removed.Medium);
        Assert.IsType<AllBlocksCleared>(handler.Events[2]);
    }

    [Fact]
    public void TryDecode_MapBatch_TimestampAfterEvents()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write("events");
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(1);
            w.Write("AllBlocksCleared");
            w.Write("data_parallel_rank");
            w.Write(1);
            w.Write("ts");
            w.Write(99);
        });

        var handler = Decode(payload);

        Assert.Equal([99.0], handler.Timestamps);
        Assert.Equal(["cleared"], handler.Log);
        Assert.Equal([1], handler.Ranks);
    }

    [Fact]
    public void TryDecode_HashesAsNegativeIntegersAndBytes_SameSixtyFourBits()
    {
        byte[] sha = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(0.0);
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(2);
            w.Write("BlockRemoved");
            w.WriteArrayHeader(3);
            w.Write(-2L);
            w.Write(sha);
            w.Write(new byte[] { 0x01, 0x02 });
        });

        var removed = Assert.IsType<BlockRemoved>(Decode(payload).Events.Single());

        Assert.Equal(ulong.MaxValue - 1, removed.BlockHashes[0]);
        Assert.Equal(0x191A1B1C1D1E1F20UL, removed.BlockHashes[1]); // vLLM's int form: low 64 bits, big-endian
        Assert.Equal(0x0102UL, removed.BlockHashes[2]);
    }

    [Fact]
    public void TryDecode_UnknownEventType_SkippedAndCounted()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(0.0);
            w.WriteArrayHeader(3);
            w.WriteArrayHeader(2);
            w.Write("BlockPinned");
            w.WriteArrayHeader(1);
            w.Write(1UL);
            w.WriteMapHeader(2);
            w.Write("type");
            w.Write("BlockMoved");
            w.Write("to");
            w.Write("CPU");
            w.WriteArrayHeader(1);
            w.Write("AllBlocksCleared");
        });
        var decoder = new KvEventDecoder();
        var handler = new RecordingHandler();

        Assert.True(decoder.TryDecode(payload, handler, out _));

        Assert.Equal(["cleared"], handler.Log);
        Assert.Equal(2, decoder.UnknownEvents);
    }

    [Fact]
    public void TryDecode_TokensNotWanted_SkippedButFieldsAfterThemRead()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(0.0);
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(8);
            w.Write("BlockStored");
            w.WriteArrayHeader(1);
            w.Write(3UL);
            w.WriteNil();
            Tokens(ref w, 16);
            w.Write(16);
            w.Write(4);
            w.Write("GPU");
            w.Write("a");
        });

        var stored = Assert.IsType<BlockStored>(Decode(payload, wantsTokens: false).Events.Single());

        Assert.Empty(stored.TokenIds);
        Assert.Equal(4, stored.LoraId);
        Assert.Equal("a", stored.LoraName);
    }

    public static TheoryData<byte[], string> Malformed() => new()
    {
        { [0xa3, (byte)'a', (byte)'b', (byte)'c'], "array or a map" },
        { [0x91, 0xcb, 0, 0, 0, 0, 0, 0, 0, 0], "[ts, events" },
        { [0x92, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x91, 0x92, 0xab, .. "BlockStore"u8], "" },
        { [0x92, 0xa1, (byte)'x', 0x90], "ts is a number" },
        { [0x92, 0x00, 0x91, 0x92, 0xac, .. "BlockRemoved"u8, 0x91, 0xc3], "block hash" },
        { [0x81, 0xa6, .. "events"u8, 0x90], "no 'ts'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryDecode_Malformed_ErrorAsValue(byte[] payload, string problem)
    {
        bool ok = new KvEventDecoder().TryDecode(payload, new RecordingHandler(), out string? error);

        Assert.False(ok);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_ToBatch_CopiesEverything()
    {
        byte[] payload = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(2.5);
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(3);
            w.Write("BlockRemoved");
            w.WriteArrayHeader(1);
            w.Write(11UL);
            w.WriteNil();
            w.Write(3);
        });

        Assert.True(new KvEventDecoder().TryDecode(payload, out var batch, out _));

        Assert.Equal(2.5, batch!.Timestamp);
        Assert.Equal(3, batch.DataParallelRank);
        Assert.Equal([11UL], Assert.IsType<BlockRemoved>(Assert.Single(batch.Events)).BlockHashes);
    }
}
