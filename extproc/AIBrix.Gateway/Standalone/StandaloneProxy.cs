using System.Buffers;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using Yarp.ReverseProxy.Forwarder;

namespace AIBrix.Gateway.Standalone;

/// <summary>
/// The standalone request path: the same pipeline phases as ext_proc, with YARP's forwarder as the
/// proxy. Reads the body (bounded), routes it, forwards it and streams the answer back chunk by
/// chunk while the pipeline reads usage. A request that fails before the endpoint answers is
/// retried on another endpoint; a client that goes away cancels the upstream request.
/// </summary>
internal sealed partial class StandaloneProxy(
    GatewayPipeline pipeline,
    IHttpForwarder forwarder,
    HttpMessageInvoker upstream,
    ILogger<StandaloneProxy> logger)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // LLM streams can be silent for a long time while a long prompt prefills.
        ActivityTimeout = TimeSpan.FromMinutes(10),
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task HandleAsync(HttpContext http)
    {
        using var context = pipeline.Begin();
        foreach (var (key, values) in http.Request.Headers)
        {
            context.Headers[key] = values.ToString();
        }

        context.Headers[":path"] = http.Request.Path.Value + http.Request.QueryString.Value;
        context.Headers[":method"] = http.Request.Method;
        if (await pipeline.OnRequestHeadersAsync(context, http.RequestAborted) is { } headerError)
        {
            await HttpErrorWriter.WriteAsync(http, headerError, context.RequestId);
            return;
        }

        if (await ReadBodyAsync(http, context) is { } bodyError)
        {
            await HttpErrorWriter.WriteAsync(http, bodyError, context.RequestId);
            return;
        }

        var decision = await pipeline.RouteAsync(context, cancellationToken: http.RequestAborted);
        if (decision.Error is { } routeError)
        {
            await HttpErrorWriter.WriteAsync(http, routeError, context.RequestId);
            return;
        }

        if (decision.Target is null)
        {
            // Only reachable with no strategy at all; the standalone host always sets a default.
            await HttpErrorWriter.WriteAsync(http, GatewayError.Internal(context.RequestId), context.RequestId);
            return;
        }

        // A stream without include_usage got it, so its tokens settle from the engine's real count;
        // the extra usage chunk is taken out of what the client sees.
        await ForwardAsync(http, context, decision, decision.Body ?? context.BufferedBody);
    }

    /// <summary>The decision's header changes, on the request YARP copies upstream.</summary>
    private static void Apply(HttpContext http, RouteDecision decision)
    {
        foreach (var (key, value) in decision.SetHeaders)
        {
            http.Request.Headers[key] = value;
        }

        foreach (var key in decision.RemoveHeaders)
        {
            http.Request.Headers.Remove(key);
        }
    }

    private async Task ForwardAsync(HttpContext http, RequestContext context, RouteDecision decision, ReadOnlyMemory<byte> body)
    {
        Apply(http, decision);
        var clientBody = http.Response.Body;
        var tee = new UsageTeeStream(clientBody, pipeline, context);
        http.Response.Body = tee;
        http.Request.Headers.Remove("Transfer-Encoding");
        http.Request.ContentLength = body.Length;
        var transformer = new GatewayHttpTransformer(pipeline, context);
        try
        {
            while (context.Target is { } target)
            {
                http.Request.Body = new MemoryBodyStream(body);
                var error = await forwarder.SendAsync(http, $"http://{target.Address}", upstream, RequestConfig, transformer);
                if (error == ForwarderError.None)
                {
                    await tee.FinishAsync(http.RequestAborted);
                    return;
                }

                if (error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled
                    || http.RequestAborted.IsCancellationRequested)
                {
                    return; // the client went away; disposing the context releases the slot
                }

                var failure = http.Features.Get<IForwarderErrorFeature>()?.Exception;
                if (http.Response.HasStarted || error is not (ForwarderError.Request or ForwarderError.RequestTimedOut))
                {
                    // The endpoint answered and then broke, or the response failed midway: nothing
                    // can be retried without sending the client part of an answer twice.
                    Log.UpstreamBroke(logger, failure, context.RequestId, target.Name, error.ToString());
                    target.RecordError();
                    if (!http.Response.HasStarted)
                    {
                        await HttpErrorWriter.WriteAsync(http, GatewayError.UpstreamUnavailable(context.Model, context.Attempts), context.RequestId);
                    }
                    else
                    {
                        http.Abort();
                    }

                    return;
                }

                Log.Retrying(logger, context.RequestId, target.Name, error.ToString(), failure?.Message ?? "");
                http.Response.Clear();
                var retry = pipeline.Retry(context);
                if (retry.Error is { } rerouteError)
                {
                    await HttpErrorWriter.WriteAsync(http, rerouteError, context.RequestId);
                    return;
                }

                Apply(http, retry);
            }
        }
        finally
        {
            http.Response.Body = clientBody;
        }
    }

    private async Task<GatewayError?> ReadBodyAsync(HttpContext http, RequestContext context)
    {
        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            foreach (var segment in read.Buffer)
            {
                if (pipeline.AppendRequestBody(context, segment.Span) is { } error)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    return error;
                }
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return null;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "request {RequestId}: endpoint {Endpoint} failed before answering ({Error}: {Reason}); retrying elsewhere if allowed")]
        public static partial void Retrying(ILogger logger, string requestId, string endpoint, string error, string reason);

        [LoggerMessage(2, LogLevel.Warning, "request {RequestId}: endpoint {Endpoint} failed after answering ({Error})")]
        public static partial void UpstreamBroke(ILogger logger, Exception? exception, string requestId, string endpoint, string error);
    }
}
