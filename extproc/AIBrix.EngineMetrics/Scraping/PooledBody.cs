using System.Buffers;

namespace AIBrix.EngineMetrics;

/// <summary>A response body read into a pooled buffer, capped; return the buffer with <see cref="Dispose"/>.</summary>
internal sealed class PooledBody : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private byte[] _buffer;

    private PooledBody(byte[] buffer, int length, bool tooLarge)
    {
        _buffer = buffer;
        Length = length;
        TooLarge = tooLarge;
    }

    public int Length { get; }

    /// <summary>The body went past the cap; only the first bytes were read.</summary>
    public bool TooLarge { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public static async Task<PooledBody> ReadAsync(Stream stream, long? contentLength, int maxBytes, CancellationToken ct)
    {
        int initial = (int)Math.Clamp(contentLength ?? InitialSize, 1024, (long)maxBytes + 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(initial);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return new PooledBody(buffer, length, tooLarge: true);
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledBody(buffer, length, tooLarge: length > maxBytes);
                }

                length += read;
                if (length > maxBytes)
                {
                    return new PooledBody(buffer, length, tooLarge: true);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
