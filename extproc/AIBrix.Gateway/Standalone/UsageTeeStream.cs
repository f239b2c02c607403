using AIBrix.Gateway.Core.Processing;

namespace AIBrix.Gateway.Standalone;

/// <summary>
/// Wraps the client's response body: every chunk the proxy writes is shown to the pipeline (usage,
/// first token) and passed on at once, less the usage chunk the gateway itself asked for; flushes
/// pass through, so streams are never buffered.
/// </summary>
internal sealed class UsageTeeStream(Stream inner, GatewayPipeline pipeline, RequestContext context) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[]? filtered = pipeline.OnResponseChunk(context, buffer.Span, endOfStream: false);
        await inner.WriteAsync(filtered ?? buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        byte[]? filtered = pipeline.OnResponseChunk(context, buffer.AsSpan(offset, count), endOfStream: false);
        if (filtered is null)
        {
            inner.Write(buffer, offset, count);
        }
        else
        {
            inner.Write(filtered);
        }
    }

    /// <summary>
    /// The body is complete: settles the request (as ext_proc's last chunk does) and sends whatever the
    /// usage filter still held back (an unterminated last event).
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        byte[]? rest = pipeline.OnResponseChunk(context, default, endOfStream: true);
        if (rest is { Length: > 0 })
        {
            await inner.WriteAsync(rest, cancellationToken);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
