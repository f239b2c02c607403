using AIBrix.Gateway.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;

namespace AIBrix.Gateway.Tests.ExtProc;

/// <summary>
/// What a newer Envoy may send on the stream (flow-control messages with no phase, GRPC body-mode flags)
/// must neither break the stream nor be answered as if it were a phase.
/// </summary>
public class ExtProcNewerEnvoyTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task Process_FlowControlMessagesWithoutPhase_NotAnsweredAndRequestStillRouted()
    {
        using var envoy = fleet.Gateway.Envoy();
        using var call = envoy.Client.Process();
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = EnvoyEmulator.Headers("POST", "/v1/chat/completions") },
            FlowControlInit = new ProcessingRequest.Types.FlowControlInit { InitialWindowDownstreamToSidestream = 65536, InitialWindowSidestreamToUpstream = 65536 },
        });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, call.ResponseStream.Current.ResponseCase);

        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            ClientWindowUpdate = new ProcessingRequest.Types.ClientWindowUpdate { WindowIncrementSidestreamToUpstream = 4096 },
        });
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(SimFleetFixture.Chat()), EndOfStream = true } });

        // The next answer is the body's: nothing was sent for the window update.
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var routed = call.ResponseStream.Current;
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestBody, routed.ResponseCase);
        string target = routed.RequestBody.Response.HeaderMutation.SetHeaders.Single(h => h.Header.Key == "target-pod").Header.RawValue.ToStringUtf8();
        Assert.Contains(target, fleet.Addresses);

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        await fleet.Gateway.WaitUntilAsync(s => s.All.All(e => e.InFlight == 0), "in-flight released after half-close");
    }

    [Fact]
    public async Task Process_FullDuplexResponseChunkWithGrpcFlags_FlagsHandedBack()
    {
        using var envoy = fleet.Gateway.Envoy();
        using var call = envoy.Client.Process();
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = EnvoyEmulator.Headers("POST", "/v1/chat/completions") },
            ProtocolConfig = new ProtocolConfiguration
            {
                RequestBodyMode = ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
                ResponseBodyMode = ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
            },
        });
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(SimFleetFixture.Chat()), EndOfStream = true } });
        await ReadUntilAsync(call, r => r.RequestBody?.Response?.BodyMutation?.StreamedResponse?.EndOfStream == true);

        var status = new HeaderMap();
        status.Headers.Add(new HeaderValue { Key = ":status", RawValue = ByteString.CopyFromUtf8("200") });
        await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseHeaders = new HttpHeaders { Headers = status } });
        await ReadUntilAsync(call, r => r.ResponseCase == ProcessingResponse.ResponseOneofCase.ResponseHeaders);

        var messageChunk = ByteString.CopyFrom(0x0a, 0x02, 0x68, 0x69);
        await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseBody = new HttpBody { Body = messageChunk, GrpcMessageCompressed = true } });
        var first = (await ReadUntilAsync(call, r => r.ResponseCase == ProcessingResponse.ResponseOneofCase.ResponseBody)).ResponseBody.Response.BodyMutation.StreamedResponse;
        await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseBody = new HttpBody { EndOfStream = true, EndOfStreamWithoutMessage = true } });
        var last = (await ReadUntilAsync(call, r => r.ResponseCase == ProcessingResponse.ResponseOneofCase.ResponseBody)).ResponseBody.Response.BodyMutation.StreamedResponse;

        Assert.Equal(messageChunk, first.Body);
        Assert.True(first.GrpcMessageCompressed);
        Assert.False(first.EndOfStreamWithoutMessage);
        Assert.True(last.EndOfStream);
        Assert.True(last.EndOfStreamWithoutMessage);
        Assert.True(last.Body.IsEmpty);
        await call.RequestStream.CompleteAsync();
    }

    private static async Task<ProcessingResponse> ReadUntilAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, Func<ProcessingResponse, bool> done)
    {
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.NotEqual(ProcessingResponse.ResponseOneofCase.ImmediateResponse, call.ResponseStream.Current.ResponseCase);
            if (done(call.ResponseStream.Current))
            {
                return call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("the stream ended before the expected answer");
    }
}
