using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using Envoy.Service.ExtProc.V3;
using AIBrix.Gateway.Observability;
using Grpc.Core;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Envoy's external processor: one bidirectional stream per HTTP request. The loop reads each
/// message, lets the stream's state machine answer it, and ends when Envoy half-closes, when an
/// immediate response was sent, or when the call is cancelled. However it ends, disposing the
/// request context gives back what the request held.
/// </summary>
internal sealed partial class ExtProcService(GatewayPipeline pipeline, IEndpointSource endpoints, LoadShedding shedding, GatewayMetrics metrics, ILogger<ExtProcService> logger) : ExternalProcessor.ExternalProcessorBase
{
    public override async Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream,
        IServerStreamWriter<ProcessingResponse> responseStream,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        using var request = pipeline.Begin();
        var stream = new ExtProcStream(pipeline, request, endpoints, shedding);
        var output = new List<ProcessingResponse>(2);
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                output.Clear();
                long received = System.Diagnostics.Stopwatch.GetTimestamp();
                var phase = requestStream.Current.RequestCase;
                bool done;
                try
                {
                    done = await stream.HandleAsync(requestStream.Current, output, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Nothing a client sends may take the loop down: answer 500 and end this stream only.
                    Log.PhaseFailed(logger, e, request.RequestId, requestStream.Current.RequestCase.ToString());
                    stream.Fail(GatewayError.Internal(request.RequestId), output);
                    done = true;
                }

                foreach (var response in output)
                {
                    await responseStream.WriteAsync(response, cancellationToken);
                }

                if (output.Count > 0)
                {
                    metrics.OnExtProcMessage(phase, System.Diagnostics.Stopwatch.GetElapsedTime(received).TotalSeconds);
                }

                if (done)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StreamCancelled(logger, request.RequestId);
        }
        catch (IOException e)
        {
            Log.StreamBroken(logger, request.RequestId, e.Message);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable)
        {
            Log.StreamBroken(logger, request.RequestId, e.Status.Detail);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "ext_proc phase {Phase} failed for request {RequestId}")]
        public static partial void PhaseFailed(ILogger logger, Exception exception, string requestId, string phase);

        [LoggerMessage(2, LogLevel.Debug, "ext_proc stream for request {RequestId} cancelled by Envoy")]
        public static partial void StreamCancelled(ILogger logger, string requestId);

        [LoggerMessage(3, LogLevel.Debug, "ext_proc stream for request {RequestId} broke: {Reason}")]
        public static partial void StreamBroken(ILogger logger, string requestId, string reason);
    }
}
