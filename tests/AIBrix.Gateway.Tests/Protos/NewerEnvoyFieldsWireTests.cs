using Envoy.Service.Auth.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;

namespace AIBrix.Gateway.Tests.Protos;

/// <summary>
/// Fields Envoy added after our first subset (streamed local replies, drains, GRPC body mode, flow
/// control, ext_authz error replies). The bytes are written here by Envoy's field numbers with a plain
/// <see cref="CodedOutputStream"/>, in field-number order, so a parse that drops or misplaces a field
/// shows either in the typed properties or in the re-serialized bytes.
/// </summary>
public sealed class NewerEnvoyFieldsWireTests
{
    [Fact]
    public void ParseFrom_StreamedImmediateResponseHeaders_VisibleAndRoundTrips()
    {
        var bytes = Wire.Message(r => r.Nested(11, sir =>             // ProcessingResponse.streamed_immediate_response = 11
            sir.Nested(1, headers =>                                  // StreamedImmediateResponse.headers_response = 1
            {
                headers.Nested(1, map =>                              // HttpHeaders.headers = 1
                {
                    map.Nested(1, h => { h.Text(1, ":status"); h.Bytes(3, "403"u8.ToArray()); });
                    map.Nested(1, h => { h.Text(1, "x-blocked-by"); h.Bytes(3, "guard"u8.ToArray()); });
                });
                headers.Varint(3, 0);                                 // end_of_stream = 3 (false, written anyway)
            })));

        var parsed = ProcessingResponse.Parser.ParseFrom(bytes);

        Assert.Equal(ProcessingResponse.ResponseOneofCase.StreamedImmediateResponse, parsed.ResponseCase);
        var streamed = parsed.StreamedImmediateResponse;
        Assert.Equal(StreamedImmediateResponse.ResponseOneofCase.HeadersResponse, streamed.ResponseCase);
        Assert.Equal(":status", streamed.HeadersResponse.Headers.Headers[0].Key);
        Assert.Equal("403", streamed.HeadersResponse.Headers.Headers[0].RawValue.ToStringUtf8());
        Assert.Equal("guard", streamed.HeadersResponse.Headers.Headers[1].RawValue.ToStringUtf8());
        Assert.False(streamed.HeadersResponse.EndOfStream);
        // proto3 drops a false scalar on the way out; everything else comes back byte for byte.
        var expected = Wire.Message(r => r.Nested(11, sir => sir.Nested(1, headers => headers.Nested(1, map =>
        {
            map.Nested(1, h => { h.Text(1, ":status"); h.Bytes(3, "403"u8.ToArray()); });
            map.Nested(1, h => { h.Text(1, "x-blocked-by"); h.Bytes(3, "guard"u8.ToArray()); });
        }))));
        Assert.Equal(expected, parsed.ToByteArray());
    }

    [Fact]
    public void ParseFrom_StreamedImmediateResponseBodyAndTrailers_VisibleAndRoundTrip()
    {
        var body = Wire.Message(r => r.Nested(11, sir => sir.Nested(2, chunk => // body_response = 2
        {
            chunk.Bytes(1, "denied"u8.ToArray());                   // StreamedBodyResponse.body = 1
            chunk.Varint(2, 1);                                     // end_of_stream = 2
        })));
        var trailers = Wire.Message(r => r.Nested(11, sir => sir.Nested(3, map => // trailers_response = 3 (HeaderMap)
            map.Nested(1, h => { h.Text(1, "grpc-status"); h.Bytes(3, "7"u8.ToArray()); }))));

        var parsedBody = ProcessingResponse.Parser.ParseFrom(body).StreamedImmediateResponse;
        var parsedTrailers = ProcessingResponse.Parser.ParseFrom(trailers).StreamedImmediateResponse;

        Assert.Equal("denied", parsedBody.BodyResponse.Body.ToStringUtf8());
        Assert.True(parsedBody.BodyResponse.EndOfStream);
        Assert.Equal("7", parsedTrailers.TrailersResponse.Headers.Single().RawValue.ToStringUtf8());
        Assert.Equal(body, new ProcessingResponse { StreamedImmediateResponse = parsedBody }.ToByteArray());
        Assert.Equal(trailers, new ProcessingResponse { StreamedImmediateResponse = parsedTrailers }.ToByteArray());
    }

    [Fact]
    public void ParseFrom_ProcessingResponseDrainTypedMetadataAndWindowFields_VisibleAndRoundTrip()
    {
        var bytes = Wire.Message(r =>
        {
            r.Nested(4, body => body.Nested(1, _ => { }));          // response_body = 4 with an empty CommonResponse
            r.Varint(12, 1);                                        // request_drain = 12
            r.Nested(13, entry =>                                   // typed_dynamic_metadata = 13 (map entry)
            {
                entry.Text(1, "envoy.lb");
                entry.Nested(2, any =>                              // google.protobuf.Any
                {
                    any.Text(1, "type.googleapis.com/google.protobuf.StringValue");
                    any.Bytes(2, Wire.Message(v => v.Text(1, "10.0.0.7:8000")));
                });
            });
            r.Nested(14, update =>                                  // server_window_update = 14
            {
                update.Varint(1, 65536);                            // window_increment_downstream_to_sidestream = 1
                update.Varint(2, 32768);                            // window_increment_upstream_to_sidestream = 2
            });
            r.Varint(15, 1);                                        // request_drain_requests = 15
            r.Varint(16, 1);                                        // request_drain_responses = 16
        });

        var parsed = ProcessingResponse.Parser.ParseFrom(bytes);

        Assert.Equal(ProcessingResponse.ResponseOneofCase.ResponseBody, parsed.ResponseCase);
        Assert.True(parsed.RequestDrain);
        Assert.Equal("type.googleapis.com/google.protobuf.StringValue", parsed.TypedDynamicMetadata["envoy.lb"].TypeUrl);
        Assert.Equal("10.0.0.7:8000", parsed.TypedDynamicMetadata["envoy.lb"].Unpack<Google.Protobuf.WellKnownTypes.StringValue>().Value);
        Assert.Equal(65536, parsed.ServerWindowUpdate.WindowIncrementDownstreamToSidestream);
        Assert.Equal(32768, parsed.ServerWindowUpdate.WindowIncrementUpstreamToSidestream);
        Assert.True(parsed.RequestDrainRequests);
        Assert.True(parsed.RequestDrainResponses);
        Assert.Equal(bytes, parsed.ToByteArray());
    }

    [Theory]
    [InlineData(4)] // ProcessingRequest.request_body = 4
    [InlineData(5)] // ProcessingRequest.response_body = 5
    public void ParseFrom_HttpBodyGrpcModeAndDrainFlags_VisibleAndRoundTrip(int phase)
    {
        var bytes = Wire.Message(r => r.Nested(phase, body =>
        {
            body.Bytes(1, [0x0a, 0x02, 0x68, 0x69]);                // body = 1 (a serialized gRPC message)
            body.Varint(2, 1);                                      // end_of_stream = 2
            body.Varint(3, 1);                                      // end_of_stream_without_message = 3
            body.Varint(4, 1);                                      // grpc_message_compressed = 4
            body.Varint(5, 1);                                      // drain_complete = 5
        }));

        var parsed = ProcessingRequest.Parser.ParseFrom(bytes);
        var body = phase == 4 ? parsed.RequestBody : parsed.ResponseBody;

        Assert.Equal(4, body.Body.Length);
        Assert.True(body.EndOfStream);
        Assert.True(body.EndOfStreamWithoutMessage);
        Assert.True(body.GrpcMessageCompressed);
        Assert.True(body.DrainComplete);
        Assert.Equal(bytes, parsed.ToByteArray());
    }

    [Fact]
    public void ParseFrom_StreamedBodyResponseGrpcModeAndDrainFlags_VisibleAndRoundTrip()
    {
        var bytes = Wire.Message(m => m.Nested(3, chunk =>          // BodyMutation.streamed_response = 3
        {
            chunk.Bytes(1, "x"u8.ToArray());
            chunk.Varint(2, 1);
            chunk.Varint(3, 1);                                     // end_of_stream_without_message = 3
            chunk.Varint(4, 1);                                     // grpc_message_compressed = 4
            chunk.Varint(5, 1);                                     // drain_complete = 5
        }));

        var parsed = BodyMutation.Parser.ParseFrom(bytes).StreamedResponse;

        Assert.True(parsed.EndOfStreamWithoutMessage);
        Assert.True(parsed.GrpcMessageCompressed);
        Assert.True(parsed.DrainComplete);
        Assert.Equal(bytes, new BodyMutation { StreamedResponse = parsed }.ToByteArray());
    }

    [Fact]
    public void ParseFrom_ProcessingRequestFlowControlFields_VisibleAndRoundTrip()
    {
        var bytes = Wire.Message(r =>
        {
            r.Nested(2, _ => { });                                  // request_headers = 2
            r.Nested(12, init =>                                    // flow_control_init = 12
            {
                init.Varint(1, 1000);                               // initial_window_downstream_to_sidestream = 1
                init.Varint(2, 2000);                               // initial_window_sidestream_to_upstream = 2
                init.Varint(3, 3000);                               // initial_window_upstream_to_sidestream = 3
                init.Varint(4, 4000);                               // initial_window_sidestream_to_downstream = 4
            });
            r.Nested(13, update =>                                  // client_window_update = 13
            {
                update.Varint(1, 10);                               // window_increment_sidestream_to_upstream = 1
                update.Varint(2, unchecked((ulong)-5L));            // window_increment_sidestream_to_downstream = 2 (int64, negative)
            });
        });

        var parsed = ProcessingRequest.Parser.ParseFrom(bytes);

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestHeaders, parsed.RequestCase);
        var init = parsed.FlowControlInit;
        Assert.Equal([1000L, 2000L, 3000L, 4000L], [init.InitialWindowDownstreamToSidestream, init.InitialWindowSidestreamToUpstream, init.InitialWindowUpstreamToSidestream, init.InitialWindowSidestreamToDownstream]);
        Assert.Equal(10, parsed.ClientWindowUpdate.WindowIncrementSidestreamToUpstream);
        Assert.Equal(-5, parsed.ClientWindowUpdate.WindowIncrementSidestreamToDownstream);
        Assert.Equal(bytes, parsed.ToByteArray());
    }

    [Fact]
    public void ParseFrom_CheckResponseErrorResponse_VisibleAndRoundTrips()
    {
        var bytes = Wire.Message(r =>
        {
            r.Nested(1, status => { status.Varint(1, 14); status.Text(2, "redis down"); }); // status = 1 (UNAVAILABLE)
            r.Nested(5, error =>                                    // http_response.error_response = 5
            {
                error.Nested(1, s => s.Varint(1, 503));             // DeniedHttpResponse.status = 1
                error.Nested(2, option => option.Nested(1, h => { h.Text(1, "retry-after"); h.Text(2, "1"); })); // headers = 2
                error.Text(3, "{\"error\":{}}");                     // body = 3
            });
        });

        var parsed = CheckResponse.Parser.ParseFrom(bytes);

        Assert.Equal(CheckResponse.HttpResponseOneofCase.ErrorResponse, parsed.HttpResponseCase);
        Assert.Equal(StatusCode.ServiceUnavailable, parsed.ErrorResponse.Status.Code);
        Assert.Equal("retry-after", parsed.ErrorResponse.Headers.Single().Header.Key);
        Assert.Equal("{\"error\":{}}", parsed.ErrorResponse.Body);
        Assert.Equal(bytes, parsed.ToByteArray());
    }
}
