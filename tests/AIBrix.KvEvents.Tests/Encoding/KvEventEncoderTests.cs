using System.Buffers;
using MessagePack;

namespace AIBrix.KvEvents.Tests.Encoding;

public sealed class KvEventEncoderTests
{
    private static readonly KvEventBatch Sample = new(1_767_225_600.5,
    [
        new BlockStored([15760518052499183552UL, 7UL], null, [.. Enumerable.Range(1, 32)], 16, LoraName: "sql-lora"),
        new BlockRemoved([3UL]),
        AllBlocksCleared.Instance,
    ], 0);

    [Theory]
    [InlineData(KvEventEncoding.Map)]
    [InlineData(KvEventEncoding.Array)]
    public void Encode_ThenDecode_SameEvents(KvEventEncoding encoding)
    {
        byte[] payload = new KvEventEncoder(encoding).Encode(Sample);

        Assert.True(new KvEventDecoder().TryDecode(payload, out var batch, out string? error), error);
        Assert.Equal(Sample.Timestamp, batch!.Timestamp);
        Assert.Equal(0, batch.DataParallelRank);
        var stored = Assert.IsType<BlockStored>(batch.Events[0]);
        Assert.Equal(((BlockStored)Sample.Events[0]).BlockHashes, stored.BlockHashes);
        Assert.Equal(((BlockStored)Sample.Events[0]).TokenIds, stored.TokenIds);
        Assert.Equal(("sql-lora", "GPU", (ulong?)null), (stored.LoraName, stored.Medium, stored.ParentBlockHash));
        Assert.Equal([3UL], Assert.IsType<BlockRemoved>(batch.Events[1]).BlockHashes);
        Assert.IsType<AllBlocksCleared>(batch.Events[2]);
    }

    [Fact]
    public void Encode_Map_IsVllmsLayoutByteForByte()
    {
        var batch = new KvEventBatch(2.0, [new BlockRemoved([5UL])], 0);
        var expected = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(expected);
        w.WriteArrayHeader(3);
        w.Write(2.0);
        w.WriteArrayHeader(1);
        w.WriteMapHeader(3);
        w.Write("type");
        w.Write("BlockRemoved");
        w.Write("block_hashes");
        w.WriteArrayHeader(1);
        w.Write(5UL);
        w.Write("medium");
        w.Write("GPU");
        w.Write(0);
        w.Flush();

        Assert.Equal(expected.WrittenSpan.ToArray(), new KvEventEncoder(KvEventEncoding.Map).Encode(batch));
    }

    [Fact]
    public void Encode_Array_IsVllmsLegacyLayoutByteForByte()
    {
        var batch = new KvEventBatch(2.0, [new BlockStored([5UL], 4UL, [1], 1)], null);
        var expected = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(expected);
        w.WriteArrayHeader(3);
        w.Write(2.0);
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(8);
        w.Write("BlockStored");
        w.WriteArrayHeader(1);
        w.Write(5UL);
        w.Write(4UL);
        w.WriteArrayHeader(1);
        w.Write(1);
        w.Write(1);
        w.WriteNil();
        w.Write("GPU");
        w.WriteNil();
        w.WriteNil();
        w.Flush();

        Assert.Equal(expected.WrittenSpan.ToArray(), new KvEventEncoder(KvEventEncoding.Array).Encode(batch));
    }
}
