using System.Buffers;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// The state of one request across its phases (one ext_proc stream, or one proxied request): the one
/// request-state object. What a policy may read of it is <see cref="Routing"/>, which holds the request's
/// id, headers, model and parsed body itself (this object reads them from there, never a copy).
/// Disposing it releases whatever it still holds, however the request ended.
/// </summary>
public sealed class RequestContext : IDisposable
{
    private ArrayBufferWriter<byte>? _body;
    private int _finished;

    internal RequestContext(GatewayPipeline pipeline, long startTimestamp)
    {
        Pipeline = pipeline;
        StartTimestamp = startTimestamp;
        Routing.Headers = Headers;
    }

    internal GatewayPipeline Pipeline { get; }

    /// <summary>Request id: Envoy's <c>x-request-id</c>, else one the gateway made.</summary>
    public string RequestId
    {
        get => Routing.RequestId;
        internal set => Routing.RequestId = value;
    }

    /// <summary>The request path without the query string.</summary>
    public string Path { get; internal set; } = "";

    /// <summary>The HTTP method.</summary>
    public string Method { get; internal set; } = "";

    /// <summary>The OpenAI API the path names, once known.</summary>
    public OpenAIApi? Api { get; internal set; }

    /// <summary>Request headers by lower-case name (pseudo-headers included, e.g. <c>:path</c>).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The parsed request, once the body was read.</summary>
    public OpenAIRequest? Request
    {
        get => Routing.Request;
        internal set => Routing.Request = value;
    }

    /// <summary>
    /// The endpoints (<c>ip:port</c>) the proxy allows for this request (the endpoint-picker protocol's subset hint), or
    /// null when it sent none. Set by the host that reads it (ext_proc metadata); only these can be picked.
    /// </summary>
    public IReadOnlySet<string>? EndpointSubset { get; set; }

    /// <summary>Model or adapter the client asked for (empty until the body was read).</summary>
    public string Model
    {
        get => Routing.Model;
        internal set => Routing.Model = value;
    }

    /// <summary>The strategy applied, or null when routing was left to the route.</summary>
    public IRoutingPolicy? Policy { get; internal set; }

    /// <summary>The policy's view of this request (id, headers, model, prompt, user), and what the policy noted.</summary>
    public RoutingRequest Routing { get; } = new();

    /// <summary>The chosen endpoint, once routed.</summary>
    public Endpoint? Target { get; internal set; }

    /// <summary>Upstream status from the response headers (0 until seen).</summary>
    public int ResponseStatus { get; internal set; }

    /// <summary>Reads token usage from the response body.</summary>
    public ResponseUsageReader? UsageReader { get; internal set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the first message.</summary>
    public long StartTimestamp { get; }

    /// <summary>Timestamp of the routing decision (0 before).</summary>
    public long RoutedTimestamp { get; internal set; }

    /// <summary>Timestamp of the first response body byte (0 before).</summary>
    public long FirstByteTimestamp { get; internal set; }

    /// <summary>Timestamp of the first generated token (0 before).</summary>
    public long FirstTokenTimestamp { get; internal set; }

    /// <summary>The error the request was refused with, if any.</summary>
    public Errors.GatewayError? Error { get; internal set; }

    /// <summary>True once the response finished or the request was refused.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    internal InFlightLease? Lease { get; set; }

    /// <summary>
    /// The policy to tell about the pick once the request is admitted (<see cref="GatewayPipeline.RouteAsync(RequestContext, ReadOnlyMemory{byte}, LoadShedding?, CancellationToken)"/>):
    /// a request a limit or the load shedder refuses leaves no trace in routing state (prefix index, VTC counters).
    /// </summary>
    internal IRoutingFeedback? PendingFeedback { get; set; }

    /// <summary>Endpoints that already failed this request (retries go elsewhere).</summary>
    internal List<Endpoint>? FailedEndpoints { get; set; }

    /// <summary>Endpoints tried so far, the current one included.</summary>
    public int Attempts => (FailedEndpoints?.Count ?? 0) + (Target is null ? 0 : 1);
    /// <summary>
    /// The user an API key proved (auth: apikey), sent upstream in the <c>user</c> header; when set, the
    /// hosts also remove the client's <c>authorization</c> header from the upstream request.
    /// </summary>
    public string? AuthenticatedUser { get; internal set; }

    /// <summary>Set when the gateway added <c>include_usage</c>: the usage-only chunk is removed from the response.</summary>
    public OpenAI.UsageChunkFilter? UsageChunkFilter { get; internal set; }

    /// <summary>Tokens held by admission until the request settles; null when no user limit applies.</summary>
    public Limits.LimitReservation? Reservation { get; internal set; }

    /// <summary>Accumulates a request body that arrives in several chunks (streamed body modes).</summary>
    internal ArrayBufferWriter<byte> BodyBuffer => _body ??= new ArrayBufferWriter<byte>(4096);

    /// <summary>True when part of the body was gathered with <see cref="GatewayPipeline.AppendRequestBody"/>.</summary>
    public bool HasBufferedBody => _body is { WrittenCount: > 0 };

    /// <summary>The body gathered so far.</summary>
    public ReadOnlyMemory<byte> BufferedBody => _body?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Marks the request finished once; false when it already was.</summary>
    internal bool TryFinish() => Interlocked.Exchange(ref _finished, 1) == 0;

    /// <summary>
    /// Ends the request: a request that never finished (client gone, Envoy reset, stream broken)
    /// is counted as aborted and gives back its in-flight slot.
    /// </summary>
    public void Dispose() => Pipeline.Abandon(this);
}
