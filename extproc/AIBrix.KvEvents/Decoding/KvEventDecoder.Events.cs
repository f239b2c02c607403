using MessagePack;

namespace AIBrix.KvEvents;

// The events of a batch: tagged arrays and tagged maps.
public sealed partial class KvEventDecoder
{
    private void DecodeEvents<TVisitor>(ref MessagePackReader reader, TVisitor visitor)
        where TVisitor : class, IKvEventVisitor
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
        where TVisitor : class, IKvEventVisitor
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
        where TVisitor : class, IKvEventVisitor
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
}
