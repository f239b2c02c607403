using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AIBrix.Gateway.Tests.Protos;

/// <summary>Envoy's ext_authz v3 field numbers, as literals (envoy/service/auth/v3/*.proto).</summary>
public sealed class ExtAuthzWireTests
{
    [Fact]
    public void Check_request_from_envoy_parses()
    {
        var bytes = Wire.Message(req =>
            req.Nested(1, attrs =>                                        // CheckRequest.attributes = 1
            {
                attrs.Nested(1, source =>                                 // AttributeContext.source = 1
                    source.Nested(1, address =>                           // Peer.address = 1
                        address.Nested(1, socket =>                       // Address.socket_address = 1
                        {
                            socket.Text(2, "10.1.2.3");                   // SocketAddress.address = 2
                            socket.Varint(3, 43210);                      // port_value = 3
                        })));
                attrs.Nested(4, request =>                                // AttributeContext.request = 4
                {
                    request.Nested(1, time => time.Varint(1, 1_700_000_000)); // Request.time = 1
                    request.Nested(2, http =>                             // Request.http = 2
                    {
                        http.Text(1, "req-1");                            // id = 1
                        http.Text(2, "POST");                             // method = 2
                        http.Nested(3, entry =>                           // headers = 3 (map entry)
                        {
                            entry.Text(1, "authorization");
                            entry.Text(2, "Bearer sk-test");
                        });
                        http.Text(4, "/v1/chat/completions?x=1");         // path = 4
                        http.Text(5, "api.example");                      // host = 5
                        http.Text(6, "https");                            // scheme = 6
                        http.Varint(9, 42);                               // size = 9
                        http.Text(10, "HTTP/1.1");                        // protocol = 10
                        http.Text(11, "{}");                              // body = 11
                        http.Nested(13, map => map.Nested(1, h =>         // header_map = 13
                        {
                            h.Text(1, "x-user");
                            h.Bytes(3, "bob"u8.ToArray());
                        }));
                    });
                });
                attrs.Nested(10, entry => { entry.Text(1, "tenant"); entry.Text(2, "a"); }); // context_extensions = 10
            }));

        var attributes = CheckRequest.Parser.ParseFrom(bytes).Attributes;

        Assert.Equal("10.1.2.3", attributes.Source.Address.SocketAddress.Address);
        Assert.Equal(43210u, attributes.Source.Address.SocketAddress.PortValue);
        Assert.Equal(1_700_000_000, attributes.Request.Time.Seconds);
        var http = attributes.Request.Http;
        Assert.Equal("req-1", http.Id);
        Assert.Equal("POST", http.Method);
        Assert.Equal("Bearer sk-test", http.Headers["authorization"]);
        Assert.Equal("/v1/chat/completions?x=1", http.Path);
        Assert.Equal("api.example", http.Host);
        Assert.Equal("https", http.Scheme);
        Assert.Equal(42, http.Size);
        Assert.Equal("HTTP/1.1", http.Protocol);
        Assert.Equal("{}", http.Body);
        Assert.Equal("bob", http.HeaderMap.Headers[0].RawValue.ToStringUtf8());
        Assert.Equal("a", attributes.ContextExtensions["tenant"]);
    }

    [Fact]
    public void Denied_check_response_serializes_with_envoy_numbers()
    {
        var response = new CheckResponse
        {
            Status = new Google.Rpc.Status { Code = 16, Message = "bad key" },
            DeniedResponse = new DeniedHttpResponse
            {
                Status = new HttpStatus { Code = StatusCode.Unauthorized },
                Headers = { new HeaderValueOption { Header = new HeaderValue { Key = "content-type", Value = "application/json" } } },
                Body = "{\"error\":{}}",
            },
        };

        var top = Wire.Fields(response.ToByteArray());

        Assert.Equal([1, 2], top.Select(f => f.Number));
        var status = Wire.Fields(top[0].Payload);
        Assert.Equal(16UL, status[0].Varint);                                  // Status.code = 1
        Assert.Equal("bad key", Wire.Single(top[0].Payload, 2).Text);          // Status.message = 2
        var denied = Wire.Fields(top[1].Payload);
        Assert.Equal([1, 2, 3], denied.Select(f => f.Number));
        Assert.Equal(401UL, Wire.Single(denied[0].Payload, 1).Varint);
        Assert.Equal("{\"error\":{}}", denied[2].Text);
    }

    [Fact]
    public void Ok_check_response_serializes_with_envoy_numbers()
    {
        var response = new CheckResponse
        {
            Status = new Google.Rpc.Status(),
            OkResponse = new OkHttpResponse
            {
                Headers = { new HeaderValueOption { Header = new HeaderValue { Key = "user", Value = "alice" } } },
                HeadersToRemove = { "authorization" },
                ResponseHeadersToAdd = { new HeaderValueOption { Header = new HeaderValue { Key = "x-ratelimit-remaining", Value = "9" } } },
                QueryParametersToSet = { new QueryParameter { Key = "k", Value = "v" } },
                QueryParametersToRemove = { "api_key" },
            },
            DynamicMetadata = new Google.Protobuf.WellKnownTypes.Struct(),
        };

        var top = Wire.Fields(response.ToByteArray());
        Assert.Equal([1, 3, 4], top.Select(f => f.Number));
        Assert.Equal([2, 5, 6, 7, 8], Wire.Fields(top[1].Payload).Select(f => f.Number));
    }

    [Fact]
    public void Auth_packages_service_and_method_match_envoy()
    {
        var service = ExternalAuthReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Authorization");
        Assert.Equal("envoy.service.auth.v3.Authorization", service.FullName);
        var method = Assert.Single(service.Methods);
        Assert.Equal("Check", method.Name);
        Assert.False(method.IsClientStreaming);
        Assert.False(method.IsServerStreaming);
        Assert.Equal("envoy.service.auth.v3", AttributeContextReflection.Descriptor.Package);
        Assert.Equal("envoy/service/auth/v3/attribute_context.proto", AttributeContextReflection.Descriptor.Name);
        Assert.Equal("envoy.config.core.v3", AddressReflection.Descriptor.Package);
        Assert.Equal("google.rpc.Status", Google.Rpc.Status.Descriptor.FullName);
        Assert.Equal("google/rpc/status.proto", Google.Rpc.StatusReflection.Descriptor.Name);
    }
}
