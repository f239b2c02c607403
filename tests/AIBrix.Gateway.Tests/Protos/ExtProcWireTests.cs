using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AIBrix.Gateway.Tests.Protos;

/// <summary>
/// The field numbers written here are Envoy's (envoy/service/ext_proc/v3/external_processor.proto,
/// envoy/config/core/v3/base.proto, envoy/type/v3/http_status.proto,
/// envoy/extensions/filters/http/ext_proc/v3/processing_mode.proto). They are spelled out as
/// literals on purpose: if a hand-written .proto drifts, these tests break.
/// </summary>
public sealed class ExtProcWireTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    // HeaderValue as Envoy sends it: key = 1, value (2) left empty, raw_value = 3.
    private static Action<CodedOutputStream> EnvoyHeader(string key, string value) => h =>
    {
        h.Text(1, key);
        h.Bytes(3, Utf8(value));
    };

    [Fact]
    public void Request_headers_from_envoy_parse_with_raw_values_and_end_of_stream()
    {
        var bytes = Wire.Message(req =>
            req.Nested(2, headers =>                        // ProcessingRequest.request_headers = 2
            {
                headers.Nested(1, map =>                    // HttpHeaders.headers = 1
                {
                    map.Nested(1, EnvoyHeader(":path", "/v1/chat/completions")); // HeaderMap.headers = 1
                    map.Nested(1, EnvoyHeader("x-user", "alice"));
                });
                headers.Varint(3, 1);                       // HttpHeaders.end_of_stream = 3
            }));

        var request = ProcessingRequest.Parser.ParseFrom(bytes);

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestHeaders, request.RequestCase);
        Assert.True(request.RequestHeaders.EndOfStream);
        var headers = request.RequestHeaders.Headers.Headers;
        Assert.Equal(2, headers.Count);
        Assert.Equal(":path", headers[0].Key);
        Assert.Equal("", headers[0].Value);
        Assert.Equal("/v1/chat/completions", headers[0].RawValue.ToStringUtf8());
        Assert.Equal("alice", headers[1].RawValue.ToStringUtf8());
    }

    [Theory]
    [InlineData(3, ProcessingRequest.RequestOneofCase.ResponseHeaders)]
    [InlineData(6, ProcessingRequest.RequestOneofCase.RequestTrailers)]
    [InlineData(7, ProcessingRequest.RequestOneofCase.ResponseTrailers)]
    public void Other_header_phases_land_in_the_right_oneof_case(int field, ProcessingRequest.RequestOneofCase expected)
    {
        var bytes = Wire.Message(req => req.Nested(field, _ => { }));
        Assert.Equal(expected, ProcessingRequest.Parser.ParseFrom(bytes).RequestCase);
    }

    [Fact]
    public void Request_and_response_body_chunks_parse()
    {
        var json = Utf8("{\"model\":\"m\"}");
        var requestBody = ProcessingRequest.Parser.ParseFrom(Wire.Message(req =>
            req.Nested(4, body => { body.Bytes(1, json); body.Varint(2, 1); }))); // request_body = 4; HttpBody.body = 1, end_of_stream = 2
        var responseBody = ProcessingRequest.Parser.ParseFrom(Wire.Message(req =>
            req.Nested(5, body => body.Bytes(1, Utf8("data: [DONE]\n\n")))));      // response_body = 5

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestBody, requestBody.RequestCase);
        Assert.Equal(json, requestBody.RequestBody.Body.ToByteArray());
        Assert.True(requestBody.RequestBody.EndOfStream);
        Assert.Equal(ProcessingRequest.RequestOneofCase.ResponseBody, responseBody.RequestCase);
        Assert.Equal("data: [DONE]\n\n", responseBody.ResponseBody.Body.ToStringUtf8());
        Assert.False(responseBody.ResponseBody.EndOfStream);
    }

    [Fact]
    public void Request_side_fields_metadata_attributes_observability_and_protocol_config_parse()
    {
        var bytes = Wire.Message(req =>
        {
            req.Nested(2, _ => { });
            req.Nested(8, md =>                                 // metadata_context = 8
                md.Nested(1, entry =>                           // Metadata.filter_metadata = 1 (map entry)
                {
                    entry.Text(1, "envoy.lb");
                    entry.Nested(2, _ => { });                  // empty Struct
                }));
            req.Nested(9, entry =>                              // attributes = 9 (map entry)
            {
                entry.Text(1, "envoy.filters.http.ext_proc");
                entry.Nested(2, _ => { });
            });
            req.Varint(10, 1);                                  // observability_mode = 10
            req.Nested(11, pc =>                                // protocol_config = 11
            {
                pc.Varint(1, 2);                                // request_body_mode = BUFFERED (2)
                pc.Varint(2, 1);                                // response_body_mode = STREAMED (1)
                pc.Varint(3, 1);                                // send_body_without_waiting_for_header_response
            });
        });

        var request = ProcessingRequest.Parser.ParseFrom(bytes);

        Assert.True(request.MetadataContext.FilterMetadata.ContainsKey("envoy.lb"));
        Assert.True(request.Attributes.ContainsKey("envoy.filters.http.ext_proc"));
        Assert.True(request.ObservabilityMode);
        Assert.Equal(ProcessingMode.Types.BodySendMode.Buffered, request.ProtocolConfig.RequestBodyMode);
        Assert.Equal(ProcessingMode.Types.BodySendMode.Streamed, request.ProtocolConfig.ResponseBodyMode);
        Assert.True(request.ProtocolConfig.SendBodyWithoutWaitingForHeaderResponse);
    }

    [Fact]
    public void Routing_answer_to_request_body_serializes_with_envoy_numbers()
    {
        var metadata = new Struct();
        var lb = new Struct();
        lb.Fields["x-gateway-destination-endpoint"] = Value.ForString("10.0.0.7:8000");
        metadata.Fields["envoy.lb"] = Value.ForStruct(lb);
        var response = new ProcessingResponse
        {
            RequestBody = new BodyResponse
            {
                Response = new CommonResponse
                {
                    HeaderMutation = new HeaderMutation
                    {
                        SetHeaders =
                        {
                            new HeaderValueOption
                            {
                                Header = new HeaderValue { Key = "target-pod", RawValue = ByteString.CopyFromUtf8("10.0.0.7:8000") },
                                AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
                            },
                        },
                        RemoveHeaders = { "content-length" },
                    },
                    ClearRouteCache = true,
                },
            },
            DynamicMetadata = metadata,
        };

        var top = Wire.Fields(response.ToByteArray());

        Assert.Equal([3, 8], top.Select(f => f.Number));                 // request_body = 3, dynamic_metadata = 8
        var common = Wire.Single(top[0].Payload, 1).Payload;               // BodyResponse.response = 1
        Assert.Equal(1UL, Wire.Single(common, 5).Varint);                  // CommonResponse.clear_route_cache = 5
        var mutation = Wire.Single(common, 2).Payload;                     // CommonResponse.header_mutation = 2
        Assert.Equal("content-length", Wire.Single(mutation, 2).Text);     // HeaderMutation.remove_headers = 2
        var option = Wire.Single(mutation, 1).Payload;                     // HeaderMutation.set_headers = 1
        Assert.Equal(2UL, Wire.Single(option, 3).Varint);                  // append_action = 3, OVERWRITE_IF_EXISTS_OR_ADD = 2
        var header = Wire.Fields(Wire.Single(option, 1).Payload);          // HeaderValueOption.header = 1
        Assert.Equal([1, 3], header.Select(f => f.Number));                // key = 1, raw_value = 3, no value (2)
        Assert.Equal("target-pod", header[0].Text);
        Assert.Equal("10.0.0.7:8000", header[1].Text);
        var entry = Wire.Single(top[1].Payload, 1).Payload;                // Struct.fields = 1 (map entry)
        Assert.Equal("envoy.lb", Wire.Single(entry, 1).Text);
    }

    [Fact]
    public void Response_oneof_cases_use_envoy_numbers()
    {
        Assert.Equal(1, Wire.Fields(new ProcessingResponse { RequestHeaders = new HeadersResponse() }.ToByteArray())[0].Number);
        Assert.Equal(2, Wire.Fields(new ProcessingResponse { ResponseHeaders = new HeadersResponse() }.ToByteArray())[0].Number);
        Assert.Equal(4, Wire.Fields(new ProcessingResponse { ResponseBody = new BodyResponse() }.ToByteArray())[0].Number);
        Assert.Equal(5, Wire.Fields(new ProcessingResponse { RequestTrailers = new TrailersResponse() }.ToByteArray())[0].Number);
        Assert.Equal(6, Wire.Fields(new ProcessingResponse { ResponseTrailers = new TrailersResponse() }.ToByteArray())[0].Number);
    }

    [Fact]
    public void Immediate_response_serializes_with_envoy_numbers()
    {
        var response = new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = StatusCode.TooManyRequests },
                Headers = new HeaderMutation
                {
                    SetHeaders = { new HeaderValueOption { Header = new HeaderValue { Key = "content-type", RawValue = ByteString.CopyFromUtf8("application/json") } } },
                },
                Body = ByteString.CopyFromUtf8("{\"error\":{}}"),
                GrpcStatus = new GrpcStatus { Status = 8 },
                Details = "rate_limited",
            },
        };

        var immediate = Wire.Single(response.ToByteArray(), 7).Payload;   // immediate_response = 7
        var fields = Wire.Fields(immediate);

        Assert.Equal([1, 2, 3, 4, 5], fields.Select(f => f.Number));
        Assert.Equal(429UL, Wire.Single(fields[0].Payload, 1).Varint);    // status = 1 -> HttpStatus.code = 1
        Assert.Equal("content-type", Wire.Single(Wire.Single(Wire.Single(fields[1].Payload, 1).Payload, 1).Payload, 1).Text);
        Assert.Equal(WireFormat.WireType.LengthDelimited, fields[2].Type); // body = 3 (bytes)
        Assert.Equal("{\"error\":{}}", fields[2].Text);
        Assert.Equal(8UL, Wire.Single(fields[3].Payload, 1).Varint);      // grpc_status = 4 -> GrpcStatus.status = 1
        Assert.Equal("rate_limited", fields[4].Text);                      // details = 5
    }

    [Fact]
    public void Immediate_response_body_written_as_string_by_older_peers_still_parses()
    {
        // Envoy once declared body as string; string and bytes share the wire encoding.
        var bytes = Wire.Message(r => r.Nested(7, ir =>
        {
            ir.Nested(1, s => s.Varint(1, 503));
            ir.Text(3, "no ready endpoint");
        }));

        var parsed = ProcessingResponse.Parser.ParseFrom(bytes).ImmediateResponse;

        Assert.Equal(StatusCode.ServiceUnavailable, parsed.Status.Code);
        Assert.Equal("no ready endpoint", parsed.Body.ToStringUtf8());
    }

    [Fact]
    public void Clear_body_is_field_2_bool_despite_the_csharp_rename()
    {
        var fromEnvoyNumbers = BodyMutation.Parser.ParseFrom(Wire.Message(m => m.Varint(2, 1)));
        Assert.Equal(BodyMutation.MutationOneofCase.ClearBodyFlag, fromEnvoyNumbers.MutationCase);
        Assert.True(fromEnvoyNumbers.ClearBodyFlag);

        Assert.Equal(new byte[] { 0x10, 0x01 }, new BodyMutation { ClearBodyFlag = true }.ToByteArray());
        Assert.Equal("clear_body_flag", BodyMutation.Descriptor.FindFieldByNumber(2).Name);
    }

    [Fact]
    public void Body_mutation_replace_and_streamed_response_use_envoy_numbers()
    {
        var replace = Wire.Single(new BodyMutation { Body = ByteString.CopyFromUtf8("x") }.ToByteArray(), 1);
        Assert.Equal("x", replace.Text);

        var streamed = new BodyMutation { StreamedResponse = new StreamedBodyResponse { Body = ByteString.CopyFromUtf8("chunk"), EndOfStream = true } };
        var inner = Wire.Fields(Wire.Single(streamed.ToByteArray(), 3).Payload);
        Assert.Equal([1, 2], inner.Select(f => f.Number));
        Assert.Equal("chunk", inner[0].Text);
        Assert.Equal(1UL, inner[1].Varint);
    }

    [Fact]
    public void Common_response_status_body_mutation_and_trailers_use_envoy_numbers()
    {
        var common = new CommonResponse
        {
            Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
            BodyMutation = new BodyMutation { ClearBodyFlag = true },
            Trailers = new HeaderMap(),
        };

        var fields = Wire.Fields(common.ToByteArray());

        Assert.Equal([1, 3, 4], fields.Select(f => f.Number));
        Assert.Equal(1UL, fields[0].Varint);                               // CONTINUE_AND_REPLACE = 1
    }

    [Fact]
    public void Mode_override_and_message_timeout_use_envoy_numbers()
    {
        var response = new ProcessingResponse
        {
            RequestHeaders = new HeadersResponse(),
            ModeOverride = new ProcessingMode
            {
                RequestHeaderMode = ProcessingMode.Types.HeaderSendMode.Send,
                ResponseHeaderMode = ProcessingMode.Types.HeaderSendMode.Skip,
                RequestBodyMode = ProcessingMode.Types.BodySendMode.BufferedPartial,
                ResponseBodyMode = ProcessingMode.Types.BodySendMode.FullDuplexStreamed,
                RequestTrailerMode = ProcessingMode.Types.HeaderSendMode.Send,
                ResponseTrailerMode = ProcessingMode.Types.HeaderSendMode.Skip,
            },
            OverrideMessageTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
        };

        var top = Wire.Fields(response.ToByteArray());
        Assert.Equal([1, 9, 10], top.Select(f => f.Number));
        var mode = Wire.Fields(top[1].Payload);
        Assert.Equal([1, 2, 3, 4, 5, 6], mode.Select(f => f.Number));
        Assert.Equal([1UL, 2UL, 3UL, 4UL, 1UL, 2UL], mode.Select(f => f.Varint));
        Assert.Equal(2UL, Wire.Single(top[2].Payload, 1).Varint);          // Duration.seconds = 1
    }

    [Fact]
    public void Header_value_option_keeps_append_and_keep_empty_value_numbers()
    {
#pragma warning disable CS0612 // append is deprecated in Envoy (and so [Obsolete] here); its number still matters.
        var option = new HeaderValueOption
        {
            Header = new HeaderValue { Key = "k", Value = "v" },
            Append = true,
            KeepEmptyValue = true,
        };
#pragma warning restore CS0612

        var fields = Wire.Fields(option.ToByteArray());

        Assert.Equal([1, 2, 4], fields.Select(f => f.Number));
        Assert.Equal(1UL, Wire.Single(fields[1].Payload, 1).Varint);        // BoolValue.value = 1
        Assert.Equal("v", Wire.Single(fields[0].Payload, 2).Text);          // HeaderValue.value = 2
    }

    [Fact]
    public void Http_status_codes_are_the_http_numbers()
    {
        foreach (var value in HttpStatusReflection.Descriptor.EnumTypes.Single(e => e.Name == "StatusCode").Values.Where(v => v.Number != 0))
        {
            Assert.InRange(value.Number, 100, 599);
        }
        Assert.Equal(200, (int)StatusCode.Ok);
        Assert.Equal(400, (int)StatusCode.BadRequest);
        Assert.Equal(401, (int)StatusCode.Unauthorized);
        Assert.Equal(429, (int)StatusCode.TooManyRequests);
        Assert.Equal(500, (int)StatusCode.InternalServerError);
        Assert.Equal(501, (int)StatusCode.NotImplemented);
        Assert.Equal(503, (int)StatusCode.ServiceUnavailable);
        Assert.Equal(57, HttpStatusReflection.Descriptor.EnumTypes.Single(e => e.Name == "StatusCode").Values.Count);
    }
}
