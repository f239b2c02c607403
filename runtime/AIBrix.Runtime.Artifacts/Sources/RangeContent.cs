using System.Net;

namespace AIBrix.Runtime.Artifacts.Sources;

/// <summary>Turns an HTTP response to a ranged GET into a stream of exactly the bytes asked for.</summary>
internal static class RangeContent
{
    public static async Task<Stream> OpenAsync(HttpResponseMessage response, long offset, long length, CancellationToken cancellationToken)
    {
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            long? from = response.Content.Headers.ContentRange?.From;
            if (from is not null && from != offset)
            {
                await body.DisposeAsync().ConfigureAwait(false);
                throw new ArtifactException(ArtifactErrorKind.Unavailable, $"the server answered range {from} for a request at {offset}");
            }

            return new OwningStream(body, response, length);
        }

        // A server that ignores Range sends the whole file: skip to the offset.
        await SkipAsync(body, offset, cancellationToken).ConfigureAwait(false);
        return new OwningStream(body, response, length);
    }

    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        byte[] scratch = new byte[81920];
        while (count > 0)
        {
            int n = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("the response ended before the requested offset");
            }

            count -= n;
        }
    }

    /// <summary>Reads at most <c>limit</c> bytes and disposes the response with the stream.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner, long limit) : Stream
    {
        private long _left = limit;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left <= 0)
            {
                return 0;
            }

            int n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
            _left -= n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
