using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Reads token usage from a response body as its chunks stream by, for the response-body phase.
/// A JSON body is buffered (up to a cap) and its top-level <c>usage</c> read at <see cref="Complete"/>;
/// an SSE body is framed event by event, keeping only the current incomplete event, and the last
/// non-null top-level <c>usage</c> (or <c>response.usage</c> of the responses API) wins.
/// Not thread-safe: one instance per response, fed by one phase at a time.
/// </summary>
public sealed class ResponseUsageReader : ISseEventHandler, IDisposable
{
    /// <summary>Default cap on a buffered JSON body: 8 MiB.</summary>
    public const int DefaultMaxJsonBodyBytes = 8 * 1024 * 1024;

    /// <summary>Default cap on one server-sent event: 1 MiB.</summary>
    public const int DefaultMaxEventBytes = 1024 * 1024;

    private readonly int _maxJsonBodyBytes;
    private readonly SseEventFramer? _framer;
    private PooledByteBuffer _body;

    /// <summary>Creates a reader for <paramref name="mode"/> with the given caps.</summary>
    public ResponseUsageReader(ResponseBodyMode mode, int maxJsonBodyBytes = DefaultMaxJsonBodyBytes, int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxJsonBodyBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        Mode = mode;
        _maxJsonBodyBytes = maxJsonBodyBytes;
        _framer = mode == ResponseBodyMode.EventStream ? new SseEventFramer(maxEventBytes) : null;
    }

    /// <summary>The body format being read.</summary>
    public ResponseBodyMode Mode { get; }

    /// <summary>The last non-null usage seen, or <c>null</c> (none reported, truncated stream, body over the cap).</summary>
    public Usage? Usage { get; private set; }

    /// <summary>An SSE <c>data: [DONE]</c> was seen; later events are ignored.</summary>
    public bool SawDone { get; private set; }

    /// <summary>SSE events with a JSON payload (not counting <c>[DONE]</c>, comments or dropped events).</summary>
    public int EventCount { get; private set; }

    /// <summary>Events that carried generated content (non-empty delta content/text); one per decode step, for TPOT.</summary>
    public int ContentEventCount { get; private set; }

    /// <summary>The first content event has been seen: the moment it turns true is the time to first token.</summary>
    public bool FirstTokenSeen => ContentEventCount > 0;

    /// <summary>Events or the JSON body that were not valid JSON.</summary>
    public int MalformedEventCount { get; private set; }

    /// <summary>SSE events dropped for exceeding the event cap.</summary>
    public int OversizedEventCount => _framer?.OversizedEventCount ?? 0;

    /// <summary>The JSON body exceeded its cap and was not parsed.</summary>
    public bool BodyTooLarge { get; private set; }

    /// <summary><see cref="Complete"/> has run.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Creates a reader for a response with the given <c>content-type</c> header value.</summary>
    public static ResponseUsageReader ForContentType(string? contentType) => new(GetMode(contentType));

    /// <summary>
    /// Decides the mode from a <c>content-type</c> value: the media type before any parameters,
    /// case-insensitive; <c>application/json</c> and <c>*/*+json</c> are JSON, <c>text/event-stream</c> is SSE.
    /// </summary>
    public static ResponseBodyMode GetMode(ReadOnlySpan<char> contentType)
    {
        int semicolon = contentType.IndexOf(';');
        ReadOnlySpan<char> mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        if (mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return ResponseBodyMode.EventStream;
        }

        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            ? ResponseBodyMode.Json
            : ResponseBodyMode.None;
    }

    /// <summary>Feeds the next body chunk; it may split lines, events or UTF-8 sequences anywhere.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(IsCompleted, this);
        if (_framer is not null)
        {
            if (!SawDone)
            {
                _framer.Append(chunk, this);
            }

            return;
        }

        if (Mode != ResponseBodyMode.Json || BodyTooLarge)
        {
            return;
        }

        if ((long)_body.Length + chunk.Length > _maxJsonBodyBytes)
        {
            // Accounting falls back to the reservation; keeping the body would only hold memory.
            BodyTooLarge = true;
            _body.Dispose();
            return;
        }

        _body.Append(chunk);
    }

    /// <summary>Ends the body (end_of_stream): parses a JSON body, flushes a last unterminated event, frees buffers.</summary>
    public void Complete()
    {
        if (IsCompleted)
        {
            return;
        }

        if (_framer is not null && !SawDone)
        {
            _framer.Complete(this);
        }
        else if (Mode == ResponseBodyMode.Json && !BodyTooLarge && _body.Length > 0)
        {
            ReadDocument(_body.WrittenSpan);
        }

        Dispose();
    }

    /// <summary>Frees the buffers without parsing (a stream that ended early); further input is refused.</summary>
    public void Dispose()
    {
        IsCompleted = true;
        _body.Dispose();
        _framer?.Dispose();
    }

    void ISseEventHandler.OnEvent(ReadOnlySpan<byte> data)
    {
        if (SawDone)
        {
            return;
        }

        data = data.Trim(" \t\r\n"u8);
        if (data.IsEmpty)
        {
            return;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            SawDone = true;
            return;
        }

        EventCount++;
        ReadDocument(data);
    }

    private void ReadDocument(ReadOnlySpan<byte> json)
    {
        try
        {
            ResponseEventParser.Read(json, out Usage? usage, out bool hasContent);
            Usage = usage ?? Usage;
            if (hasContent)
            {
                ContentEventCount++;
            }
        }
        catch (JsonException)
        {
            // An engine bug or a cut-off chunk must not fail the response the client already gets.
            MalformedEventCount++;
        }
    }
}
