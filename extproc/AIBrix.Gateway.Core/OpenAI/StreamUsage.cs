using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Streams always report usage: a streamed chat or completions request without
/// <c>stream_options.include_usage</c> gets it added, and the extra final usage chunk the engine then
/// sends is taken out of the response, since the client did not ask for it.
/// </summary>
public static class StreamUsage
{
    /// <summary>The body with <c>stream_options.include_usage: true</c>, or null when it needs no change or can't be read.</summary>
    public static byte[]? AddIncludeUsage(ReadOnlySpan<byte> body)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is null)
        {
            return null;
        }

        if (root["stream_options"] is JsonObject options)
        {
            options["include_usage"] = true;
        }
        else
        {
            root["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>True for an SSE event whose data is a chunk with no choices and a usage object (the include_usage chunk).</summary>
    internal static bool IsUsageOnlyEvent(ReadOnlySpan<byte> sseEvent)
    {
        if (sseEvent.IndexOf("\"usage\""u8) < 0)
        {
            return false;
        }

        int data = sseEvent.IndexOf("data:"u8);
        if (data < 0)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(sseEvent[(data + 5)..].ToArray());
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>
/// Removes usage-only events from an SSE response as it streams. Bytes after the last complete event
/// are held until the event completes (or the stream ends), so an event split across chunks is judged whole.
/// </summary>
public sealed class UsageChunkFilter
{
    private readonly ArrayBufferWriter<byte> _pending = new(1024);

    /// <summary>Usage-only events removed so far.</summary>
    public int Removed { get; private set; }

    /// <summary>What to send on for this chunk (possibly empty).</summary>
    public byte[] Filter(ReadOnlySpan<byte> chunk, bool endOfStream)
    {
        _pending.Write(chunk);
        var buffered = _pending.WrittenSpan;
        int complete = endOfStream ? buffered.Length : LastEventEnd(buffered);
        var output = new ArrayBufferWriter<byte>(Math.Max(1, complete));
        int start = 0;
        while (start < complete)
        {
            int end = NextEventEnd(buffered[start..complete]);
            end = end < 0 ? complete : start + end;
            var sseEvent = buffered[start..end];
            if (StreamUsage.IsUsageOnlyEvent(sseEvent))
            {
                Removed++;
            }
            else
            {
                output.Write(sseEvent);
            }

            start = end;
        }

        byte[] rest = buffered[complete..].ToArray();
        _pending.Clear();
        _pending.Write(rest);
        return output.WrittenSpan.ToArray();
    }

    // Index just past the blank line ending the first event, or -1.
    private static int NextEventEnd(ReadOnlySpan<byte> span)
    {
        int lf = span.IndexOf("\n\n"u8);
        int crlf = span.IndexOf("\r\n\r\n"u8);
        if (lf < 0 && crlf < 0)
        {
            return -1;
        }

        return lf >= 0 && (crlf < 0 || lf < crlf) ? lf + 2 : crlf + 4;
    }

    private static int LastEventEnd(ReadOnlySpan<byte> span)
    {
        int lf = span.LastIndexOf("\n\n"u8);
        int crlf = span.LastIndexOf("\r\n\r\n"u8);
        return Math.Max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4);
    }
}
