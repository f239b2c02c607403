using AIBrix.Gateway.Core.Processing;
using Yarp.ReverseProxy.Forwarder;

namespace AIBrix.Gateway.Standalone;

/// <summary>
/// YARP's default header copying, plus the gateway's response headers (<c>request-id</c>,
/// <c>target-pod</c>, <c>routing-strategy</c>) from the same pipeline phase the ext_proc host uses.
/// </summary>
internal sealed class GatewayHttpTransformer(GatewayPipeline pipeline, RequestContext context) : HttpTransformer
{
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        bool proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return proceed;
        }

        pipeline.OnUpstreamAnswered(context);
        string? contentType = proxyResponse.Content.Headers.ContentType?.ToString();
        foreach (var (key, value) in pipeline.OnResponseHeaders(context, (int)proxyResponse.StatusCode, contentType))
        {
            httpContext.Response.Headers[key] = value;
        }

        return proceed;
    }
}
