using System.Text;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

/// <summary>Feeds a body to a fresh <see cref="ResponseUsageReader"/> in chunks of a given size.</summary>
internal static class UsageFeed
{
    public static ResponseUsageReader Chunked(ResponseBodyMode mode, byte[] body, int chunkSize, int maxEventBytes = ResponseUsageReader.DefaultMaxEventBytes)
    {
        var reader = new ResponseUsageReader(mode, maxEventBytes: maxEventBytes);
        for (int offset = 0; offset < body.Length; offset += chunkSize)
        {
            // A copy per chunk, so a reader that kept a reference to an earlier span would see garbage.
            byte[] chunk = body.AsSpan(offset, Math.Min(chunkSize, body.Length - offset)).ToArray();
            reader.Append(chunk);
            Array.Fill(chunk, (byte)'#');
        }

        reader.Complete();
        return reader;
    }

    public static ResponseUsageReader Sse(string body, int chunkSize = int.MaxValue) =>
        Chunked(ResponseBodyMode.EventStream, Encoding.UTF8.GetBytes(body), Math.Min(chunkSize, Math.Max(1, Encoding.UTF8.GetByteCount(body))));

    public static ResponseUsageReader SplitAt(ResponseBodyMode mode, byte[] body, int split)
    {
        var reader = new ResponseUsageReader(mode);
        reader.Append(body.AsSpan(0, split).ToArray());
        reader.Append(body.AsSpan(split).ToArray());
        reader.Complete();
        return reader;
    }
}
