using System.Buffers;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> with fixed-size segments.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, int size)
    {
        var first = new Segments(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        Segments last = first;
        for (int offset = size; offset < data.Length; offset += size)
        {
            var next = new Segments(data.AsMemory(offset, Math.Min(size, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
