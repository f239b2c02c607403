using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// The per-stream state machine: dispatches each message of one ext_proc stream to its phase and
/// remembers what the phases share (the body modes Envoy announced, whether the stream is over).
/// One instance per stream, used by one thread at a time.
/// </summary>
internal sealed class ExtProcStream(GatewayPipeline pipeline, RequestContext context, IEndpointSource? endpoints = null, LoadShedding? shedding = null)
{
    /// <summary>Fallback endpoints offered after the pick (endpoint-picker protocol), for the proxy's retries.</summary>
    public const int FallbackEndpoints = 2;

    public GatewayPipeline Pipeline { get; } = pipeline;

    public RequestContext Context { get; } = context;

    /// <summary>Where fallback endpoints come from; none are offered without it.</summary>
    public IEndpointSource? Endpoints { get; } = endpoints;

    /// <summary>When to refuse sheddable requests; null = never.</summary>
    public LoadShedding? Shedding { get; } = shedding;

    /// <summary>FULL_DUPLEX_STREAMED request body: Envoy does not wait for per-message answers, so
    /// the headers answer is held back until the body is complete and routing is known.</summary>
    public bool RequestFullDuplex { get; private set; }

    /// <summary>FULL_DUPLEX_STREAMED response body: every chunk must be sent back as a streamed mutation.</summary>
    public bool ResponseFullDuplex { get; private set; }

    /// <summary>True when the request headers said there is no body.</summary>
    public bool RequestHasNoBody { get; set; }

    /// <summary>Set once an immediate response went out: Envoy ends the stream after it.</summary>
    public bool Finished { get; private set; }

    /// <summary>
    /// Handles one message, appending the answers to <paramref name="output"/> (zero, one or two).
    /// Returns true when the stream is done (an immediate response was produced).
    /// </summary>
    public async ValueTask<bool> HandleAsync(ProcessingRequest message, List<ProcessingResponse> output, CancellationToken cancellationToken)
    {
        if (message.ProtocolConfig is { } protocol)
        {
            RequestFullDuplex = protocol.RequestBodyMode == ProcessingMode.Types.BodySendMode.FullDuplexStreamed;
            ResponseFullDuplex = protocol.ResponseBodyMode == ProcessingMode.Types.BodySendMode.FullDuplexStreamed;
        }

        // The endpoint-picker protocol's subset hint rides in the metadata of the request messages.
        if (Context.EndpointSubset is null && message.MetadataContext is { } metadata
            && message.RequestCase is ProcessingRequest.RequestOneofCase.RequestHeaders or ProcessingRequest.RequestOneofCase.RequestBody)
        {
            Context.EndpointSubset = SubsetHint.Read(metadata);
        }

        switch (message.RequestCase)
        {
            case ProcessingRequest.RequestOneofCase.RequestHeaders:
                await RequestHeadersPhase.HandleAsync(this, message.RequestHeaders, output, cancellationToken);
                break;
            case ProcessingRequest.RequestOneofCase.RequestBody:
                await RequestBodyPhase.HandleAsync(this, message.RequestBody, output, cancellationToken);
                break;
            case ProcessingRequest.RequestOneofCase.RequestTrailers:
                // Trailers end a streamed body in full-duplex mode; nothing of ours depends on them.
                output.Add(ExtProcResponses.RequestTrailersContinue());
                break;
            case ProcessingRequest.RequestOneofCase.ResponseHeaders:
                ResponseHeadersPhase.Handle(this, message.ResponseHeaders, output);
                break;
            case ProcessingRequest.RequestOneofCase.ResponseBody:
                ResponseBodyPhase.Handle(this, message.ResponseBody, output);
                break;
            case ProcessingRequest.RequestOneofCase.ResponseTrailers:
                Pipeline.Complete(Context);
                output.Add(ExtProcResponses.ResponseTrailersContinue());
                break;
            default:
                break; // a message kind from a newer Envoy: nothing to answer
        }

        return Finished;
    }

    /// <summary>Ends the stream with the error response for <paramref name="error"/>.</summary>
    public void Fail(Core.Errors.GatewayError error, List<ProcessingResponse> output)
    {
        output.Clear();
        output.Add(ExtProcResponses.Immediate(error, Context.RequestId));
        Finished = true;
    }
}
