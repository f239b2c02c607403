using System.Buffers;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// A growable byte buffer backed by <see cref="ArrayPool{T}.Shared"/>. A mutable struct: keep it in a
/// field or a local and pass it by <c>ref</c>; never copy it, or two owners would return one array.
/// </summary>
internal struct PooledByteBuffer
{
    private byte[]? _array;
    private int _length;

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> WrittenSpan => _array is null ? default : _array.AsSpan(0, _length);

    /// <summary>Returns a span of at least <paramref name="sizeHint"/> writable bytes after the written ones.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        int needed = checked(_length + sizeHint);
        if (_array is null || _array.Length < needed)
        {
            Grow(needed);
        }

        return _array.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Append(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    public void Append(in ReadOnlySequence<byte> bytes)
    {
        bytes.CopyTo(GetSpan(checked((int)bytes.Length)));
        _length += (int)bytes.Length;
    }

    /// <summary>Forgets the content but keeps the array for reuse.</summary>
    public void Clear() => _length = 0;

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[]? array = _array;
        _array = null;
        _length = 0;
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Grow(int needed)
    {
        int size = Math.Max(needed, _array is null ? 256 : (int)Math.Min(Array.MaxLength, _array.Length * 2L));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        if (_array is not null)
        {
            _array.AsSpan(0, _length).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = next;
    }
}
