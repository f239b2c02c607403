using Google.Protobuf;

namespace AIBrix.Gateway.Tests.Protos;

/// <summary>
/// A tiny protobuf wire reader/writer for tests. It knows nothing about our generated types,
/// so encoding with it by Envoy's field numbers and decoding with the generated parsers (or the
/// other way round) fails whenever a .proto file has a wrong number or wire type.
/// </summary>
internal static class Wire
{
    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    public static void Varint(this CodedOutputStream output, int field, ulong value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteUInt64(value);
    }

    public static void Bytes(this CodedOutputStream output, int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
    }

    public static void Text(this CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void Nested(this CodedOutputStream output, int field, Action<CodedOutputStream> write) =>
        output.Bytes(field, Message(write));

    /// <summary>Splits one message level into its fields, in wire order.</summary>
    public static List<WireField> Fields(byte[] message)
    {
        var fields = new List<WireField>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint:
                    fields.Add(new WireField(number, type, input.ReadUInt64(), []));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    fields.Add(new WireField(number, type, 0, input.ReadBytes().ToByteArray()));
                    break;
                default:
                    throw new InvalidOperationException($"unexpected wire type {type} for field {number}");
            }
        }
        return fields;
    }

    public static WireField Single(byte[] message, int number) =>
        Assert.Single(Fields(message), f => f.Number == number);
}

internal sealed record WireField(int Number, WireFormat.WireType Type, ulong Varint, byte[] Payload)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
}
