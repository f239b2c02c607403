using System.Diagnostics;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>The response phases: our response headers, usage read from the body as it streams by.</summary>
public sealed partial class GatewayPipeline
{
    /// <summary>
    /// Phase 3, response headers: records the upstream status and prepares usage reading. Returns the
    /// headers to add to the response.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> OnResponseHeaders(RequestContext context, int status, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ResponseStatus = status;
        context.UsageReader = ResponseUsageReader.ForContentType(contentType);
        if (status >= 500)
        {
            context.Target?.RecordError();
        }

        var headers = new List<KeyValuePair<string, string>>(3) { new(GatewayHeaders.RequestId, context.RequestId) };
        if (context.Target is { } target)
        {
            headers.Add(new(GatewayHeaders.TargetPod, target.Address));
        }

        if (context.Policy is { } policy)
        {
            headers.Add(new(GatewayHeaders.RoutingStrategy, policy.Name));
        }

        if (context.Routing.Fallback is { } fallback)
        {
            headers.Add(new(GatewayHeaders.RoutingFallback, fallback));
        }

        headers.AddRange(context.Routing.ResponseHeaders);

        if (context.Reservation is { } reservation)
        {
            RateLimitHeaders.Add(headers, reservation.Decision);
        }

        return headers;
    }

    /// <summary>
    /// The response-body seam: reads usage and the first token from one chunk (the last one settles the
    /// request) and returns the chunk to send to the client when it differs from <paramref name="chunk"/>
    /// (the usage chunk the gateway asked for is taken out); null to pass the chunk unchanged.
    /// </summary>
    public byte[]? OnResponseChunk(RequestContext context, ReadOnlySpan<byte> chunk, bool endOfStream)
    {
        byte[]? filtered = FilterResponseBody(context, chunk, endOfStream);
        OnResponseBody(context, chunk, endOfStream);
        return filtered;
    }

    /// <summary>Phase 4, one chunk of the response body; <paramref name="endOfStream"/> settles the request.</summary>
    public void OnResponseBody(RequestContext context, ReadOnlySpan<byte> chunk, bool endOfStream)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!chunk.IsEmpty)
        {
            long now = Stopwatch.GetTimestamp();
            if (context.FirstByteTimestamp == 0)
            {
                context.FirstByteTimestamp = now;
            }

            var reader = context.UsageReader ??= ResponseUsageReader.ForContentType(null);
            reader.Append(chunk);
            if (context.FirstTokenTimestamp == 0 && reader.FirstTokenSeen)
            {
                context.FirstTokenTimestamp = now;
            }
        }

        if (endOfStream)
        {
            Complete(context);
        }
    }
}
