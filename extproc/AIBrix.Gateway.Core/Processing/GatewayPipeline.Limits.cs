using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// The limits steps of the request path: admission, the include_usage rewrite and the
/// single settlement. Kept apart from the routing steps in GatewayPipeline.cs.
/// </summary>
public sealed partial class GatewayPipeline
{
    /// <summary>
    /// Phase 2b, after the body was routed: per-user RPM and TPM and per-model RPS in one store call.
    /// The TPM reservation is settled when the request finishes, however it finishes.
    /// </summary>
    public async ValueTask<GatewayError?> AdmitAsync(RequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_limiter is not { } limiter || context.Request is not { } request || context.IsFinished)
        {
            return context.Error;
        }

        string? user = context.Headers.TryGetValue(GatewayHeaders.User, out var u) && u.Length > 0 ? u : null;
        var (reservation, error) = await limiter.AdmitAsync(user, request.Model, limiter.Reservation(request), cancellationToken);
        if (error is not null)
        {
            return Reject(context, error);
        }

        context.Reservation = reservation;
        if (context.IsFinished && reservation is not null)
        {
            limiter.Settle(reservation, 0); // the stream ended while admission waited on the store
        }

        return null;
    }

    /// <summary>
    /// Phase 2c: a streamed chat or completions request that did not ask for usage gets
    /// <c>stream_options.include_usage</c>, so its tokens can be settled from the real count. Returns the
    /// new body to send upstream, or null to keep the original.
    /// </summary>
    public byte[]? RewriteRequestBody(RequestContext context, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_limiter is null || context.Request is not { Stream: true, IncludeUsage: false } request
            || request.Api is not (OpenAIApi.ChatCompletions or OpenAIApi.Completions))
        {
            return null;
        }

        byte[]? rewritten = StreamUsage.AddIncludeUsage(body);
        if (rewritten is not null)
        {
            context.UsageChunkFilter = new UsageChunkFilter();
        }

        return rewritten;
    }

    /// <summary>
    /// The response chunk to send to the client, when it differs from <paramref name="chunk"/> (the
    /// usage chunk the gateway asked for is removed); null to pass the chunk unchanged.
    /// </summary>
    public byte[]? FilterResponseBody(RequestContext context, ReadOnlySpan<byte> chunk, bool endOfStream)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UsageChunkFilter is { } filter && context.ResponseStatus is >= 200 and < 300
            && context.UsageReader?.Mode == ResponseBodyMode.EventStream
            ? filter.Filter(chunk, endOfStream)
            : null;
    }

    /// <summary>
    /// Settles the TPM reservation; called only behind <see cref="RequestContext.TryFinish"/>, so once.
    /// A successful response charges its reported usage, or keeps the whole reservation when it reported
    /// none (a stream without usage); a failed, refused or cut-short request is charged what it reported, else nothing.
    /// </summary>
    private void Settle(RequestContext context, RequestOutcome outcome)
    {
        if (_limiter is null || context.Reservation is not { } reservation)
        {
            return;
        }

        var usage = context.UsageReader?.Usage;
        bool succeeded = outcome == RequestOutcome.Completed && context.ResponseStatus is >= 200 and < 400;
        long actual = usage is { } used ? used.TotalTokens : succeeded ? reservation.ReservedTokens : 0;
        _limiter.Settle(reservation, actual);
    }
}
