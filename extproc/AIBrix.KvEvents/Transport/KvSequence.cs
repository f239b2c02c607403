using System.Buffers.Binary;

namespace AIBrix.KvEvents;

/// <summary>The sequence-number frame: 8 bytes, big-endian, signed (the replay end marker is -1).</summary>
internal static class KvSequence
{
    public static byte[] ToFrame(long sequence)
    {
        var frame = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(frame, sequence);
        return frame;
    }

    public static bool TryRead(ReadOnlySpan<byte> frame, out long sequence)
    {
        if (frame.Length != 8)
        {
            sequence = 0;
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64BigEndian(frame);
        return true;
    }

    /// <summary>Binds <paramref name="socket"/> to <paramref name="endpoint"/> (port 0: a free one) and returns the bound endpoint.</summary>
    public static string Bind(NetMQ.NetMQSocket socket, string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        if (endpoint.AsSpan(colon + 1).SequenceEqual("0"))
        {
            string address = endpoint[..colon];
            int port = socket.BindRandomPort(address);
            return $"{address.Replace("*", "127.0.0.1", StringComparison.Ordinal)}:{port}";
        }

        socket.Bind(endpoint);
        return endpoint.Replace("*", "127.0.0.1", StringComparison.Ordinal);
    }
}
