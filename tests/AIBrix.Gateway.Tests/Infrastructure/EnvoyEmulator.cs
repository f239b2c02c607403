using MediaTypeHeaderValue = System.Net.Http.Headers.MediaTypeHeaderValue;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using HttpHeaders = Envoy.Service.ExtProc.V3.HttpHeaders;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>How the emulated Envoy sends the request body to ext_proc.</summary>
public enum EnvoyBodyMode
{
    /// <summary>AIBrix's Envoy Gateway config: one body message, answered before the next.</summary>
    Buffered,

    /// <summary>The endpoint-picker protocol: chunks sent without waiting; the processor answers when it can.</summary>
    FullDuplexStreamed,
}

/// <summary>What an emulated request went through.</summary>
public sealed class EnvoyExchange
{
    public ImmediateResponse? Immediate { get; set; }

    /// <summary>Request headers set by the processor (raw_value decoded).</summary>
    public Dictionary<string, string> RequestHeaderMutations { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Request headers the processor told Envoy to remove before forwarding.</summary>
    public List<string> RemovedRequestHeaders { get; } = [];

    /// <summary>Header mutations where the processor set <c>value</c> rather than <c>raw_value</c> (must stay empty).</summary>
    public List<string> NonRawHeaderValues { get; } = [];

    public bool ClearRouteCache { get; set; }

    public Google.Protobuf.WellKnownTypes.Struct? DynamicMetadata { get; set; }

    /// <summary>The request body after the processor's streamed mutations (full-duplex mode).</summary>
    public byte[]? StreamedRequestBody { get; set; }

    public int UpstreamStatus { get; set; }

    public Dictionary<string, string> ResponseHeaderMutations { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] ResponseBody { get; set; } = [];

    public List<ProcessingResponse> AllResponses { get; } = [];

    public string ImmediateBody => Immediate is null ? "" : Immediate.Body.ToStringUtf8();

    public string? TargetPod => RequestHeaderMutations.GetValueOrDefault("target-pod");
}

/// <summary>
/// Behaves as Envoy's ext_proc filter does, over a real gRPC channel: one stream per request, phases
/// in order, header values in <c>raw_value</c>, half-close at the end. When the processor picks a pod,
/// the request really goes to that pod over HTTP and the real response is streamed back through
/// the processor, chunk by chunk.
/// </summary>
public sealed class EnvoyEmulator : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ExternalProcessor.ExternalProcessorClient _client;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(60) };

    public EnvoyEmulator(int grpcPort)
    {
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        _client = new ExternalProcessor.ExternalProcessorClient(_channel);
    }

    public ExternalProcessor.ExternalProcessorClient Client => _client;

    public static HeaderMap Headers(string method, string path, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var map = new HeaderMap();
        Add(":method", method);
        Add(":path", path);
        Add(":authority", "gateway.local");
        Add(":scheme", "http");
        Add("content-type", "application/json");
        foreach (var (k, v) in extra ?? [])
        {
            Add(k, v);
        }

        return map;

        void Add(string key, string value) => map.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
    }

    /// <summary>Sends one request through ext_proc and, when routed, to the chosen pod.</summary>
    public async Task<EnvoyExchange> SendAsync(
        string path,
        string body,
        EnvoyBodyMode mode = EnvoyBodyMode.Buffered,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        int bodyChunkSize = 0,
        global::Envoy.Config.Core.V3.Metadata? metadata = null,
        string method = "POST",
        CancellationToken cancellationToken = default)
    {
        var exchange = new EnvoyExchange();
        using var call = _client.Process(cancellationToken: cancellationToken);
        var protocol = new ProtocolConfiguration
        {
            RequestBodyMode = mode == EnvoyBodyMode.Buffered ? ProcessingMode.Types.BodySendMode.Buffered : ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
            ResponseBodyMode = mode == EnvoyBodyMode.Buffered ? ProcessingMode.Types.BodySendMode.Streamed : ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
        };
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        bool hasBody = bodyBytes.Length > 0;
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = Headers(method, path, headers), EndOfStream = !hasBody },
            ProtocolConfig = protocol,
            MetadataContext = metadata, // Envoy forwards the configured metadata namespaces with the request
        }, cancellationToken);

        if (mode == EnvoyBodyMode.Buffered)
        {
            var headersAnswer = await ReadAsync(call, exchange, cancellationToken);
            if (exchange.Immediate is not null || !hasBody)
            {
                return await FinishAsync(call, exchange);
            }

            Expect(headersAnswer, ProcessingResponse.ResponseOneofCase.RequestHeaders);
            await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFrom(bodyBytes), EndOfStream = true } }, cancellationToken);
            var bodyAnswer = await ReadAsync(call, exchange, cancellationToken);
            if (exchange.Immediate is not null)
            {
                return await FinishAsync(call, exchange);
            }

            Expect(bodyAnswer, ProcessingResponse.ResponseOneofCase.RequestBody);
            TakeRequestMutations(bodyAnswer.RequestBody.Response, bodyAnswer, exchange);
            if (bodyAnswer.RequestBody.Response?.BodyMutation is { MutationCase: BodyMutation.MutationOneofCase.Body } replaced)
            {
                exchange.StreamedRequestBody = replaced.Body.ToByteArray(); // Envoy sends the replaced body upstream
            }
        }
        else
        {
            int chunk = bodyChunkSize > 0 ? bodyChunkSize : Math.Max(1, bodyBytes.Length);
            for (int offset = 0; offset < bodyBytes.Length; offset += chunk)
            {
                int length = Math.Min(chunk, bodyBytes.Length - offset);
                try
                {
                    await call.RequestStream.WriteAsync(new ProcessingRequest
                    {
                        RequestBody = new HttpBody { Body = ByteString.CopyFrom(bodyBytes, offset, length), EndOfStream = offset + length >= bodyBytes.Length },
                    }, cancellationToken);
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException)
                {
                    break; // the processor already answered (an immediate response) and ended the call
                }
            }

            var headersAnswer = await ReadAsync(call, exchange, cancellationToken);
            if (exchange.Immediate is not null)
            {
                return await FinishAsync(call, exchange);
            }

            Expect(headersAnswer, ProcessingResponse.ResponseOneofCase.RequestHeaders);
            TakeRequestMutations(headersAnswer.RequestHeaders.Response, headersAnswer, exchange);
            using var streamed = new MemoryStream();
            while (true)
            {
                var part = await ReadAsync(call, exchange, cancellationToken);
                Expect(part, ProcessingResponse.ResponseOneofCase.RequestBody);
                var mutation = part.RequestBody.Response.BodyMutation.StreamedResponse;
                streamed.Write(mutation.Body.Span);
                if (mutation.EndOfStream)
                {
                    break;
                }
            }

            exchange.StreamedRequestBody = streamed.ToArray();
        }

        if (exchange.TargetPod is { } target)
        {
            await ForwardUpstreamAsync(call, exchange, mode, target, path, exchange.StreamedRequestBody ?? bodyBytes, cancellationToken);
        }

        return await FinishAsync(call, exchange);
    }

    private async Task ForwardUpstreamAsync(
        AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call,
        EnvoyExchange exchange,
        EnvoyBodyMode mode,
        string target,
        string path,
        byte[] body,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{target}{path}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        exchange.UpstreamStatus = (int)response.StatusCode;
        var map = new HeaderMap();
        map.Headers.Add(new HeaderValue { Key = ":status", RawValue = ByteString.CopyFromUtf8(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        if (response.Content.Headers.ContentType is { } contentType)
        {
            map.Headers.Add(new HeaderValue { Key = "content-type", RawValue = ByteString.CopyFromUtf8(contentType.ToString()) });
        }

        await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseHeaders = new HttpHeaders { Headers = map } }, cancellationToken);
        var headersAnswer = await ReadAsync(call, exchange, cancellationToken);
        Expect(headersAnswer, ProcessingResponse.ResponseOneofCase.ResponseHeaders);
        foreach (var option in headersAnswer.ResponseHeaders.Response?.HeaderMutation?.SetHeaders ?? [])
        {
            exchange.ResponseHeaderMutations[option.Header.Key] = option.Header.RawValue.ToStringUtf8();
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await SendResponseChunkAsync(ByteString.CopyFrom(buffer, 0, read), false);
        }

        await SendResponseChunkAsync(ByteString.Empty, true);
        exchange.ResponseBody = received.ToArray();

        async Task SendResponseChunkAsync(ByteString chunk, bool endOfStream)
        {
            await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseBody = new HttpBody { Body = chunk, EndOfStream = endOfStream } }, cancellationToken);
            var answer = await ReadAsync(call, exchange, cancellationToken);
            Expect(answer, ProcessingResponse.ResponseOneofCase.ResponseBody);
            if (mode == EnvoyBodyMode.FullDuplexStreamed)
            {
                var streamed = answer.ResponseBody.Response.BodyMutation.StreamedResponse;
                received.Write(streamed.Body.Span);
            }
            else if (answer.ResponseBody.Response?.BodyMutation is { MutationCase: BodyMutation.MutationOneofCase.Body } replaced)
            {
                received.Write(replaced.Body.Span); // STREAMED mode: the processor replaced this chunk
            }
            else
            {
                received.Write(chunk.Span);
            }
        }
    }

    private static async Task<ProcessingResponse> ReadAsync(
        AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call,
        EnvoyExchange exchange,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        if (!await call.ResponseStream.MoveNext(timeout.Token))
        {
            throw new InvalidOperationException("ext_proc ended the stream without answering");
        }

        var response = call.ResponseStream.Current;
        exchange.AllResponses.Add(response);
        if (response.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
        {
            exchange.Immediate = response.ImmediateResponse;
        }

        return response;
    }

    private static void TakeRequestMutations(CommonResponse? common, ProcessingResponse response, EnvoyExchange exchange)
    {
        exchange.ClearRouteCache = common?.ClearRouteCache ?? false;
        foreach (var option in common?.HeaderMutation?.SetHeaders ?? [])
        {
            if (!string.IsNullOrEmpty(option.Header.Value))
            {
                exchange.NonRawHeaderValues.Add(option.Header.Key);
            }

            exchange.RequestHeaderMutations[option.Header.Key] = option.Header.RawValue.ToStringUtf8();
        }

        exchange.RemovedRequestHeaders.AddRange(common?.HeaderMutation?.RemoveHeaders ?? []);
        exchange.DynamicMetadata = response.DynamicMetadata;
    }

    private static void Expect(ProcessingResponse response, ProcessingResponse.ResponseOneofCase expected)
    {
        if (response.ResponseCase != expected)
        {
            throw new InvalidOperationException($"expected a {expected} answer, got {response.ResponseCase}: {response}");
        }
    }

    private static async Task<EnvoyExchange> FinishAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, EnvoyExchange exchange)
    {
        // Envoy half-closes when the HTTP stream is done; the processor must then end the RPC.
        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // the processor ended the call first (after an immediate response)
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await call.ResponseStream.MoveNext(timeout.Token))
        {
            exchange.AllResponses.Add(call.ResponseStream.Current);
        }

        return exchange;
    }

    public void Dispose()
    {
        _channel.Dispose();
        _upstream.Dispose();
    }
}
