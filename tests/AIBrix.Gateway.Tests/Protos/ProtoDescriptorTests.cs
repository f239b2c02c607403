using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf.Reflection;

namespace AIBrix.Gateway.Tests.Protos;

/// <summary>Names on the wire (gRPC paths, Any type URLs) come from the proto packages, so they must be Envoy's.</summary>
public sealed class ProtoDescriptorTests
{
    [Theory]
    [InlineData("envoy/service/ext_proc/v3/external_processor.proto", "envoy.service.ext_proc.v3")]
    [InlineData("envoy/extensions/filters/http/ext_proc/v3/processing_mode.proto", "envoy.extensions.filters.http.ext_proc.v3")]
    [InlineData("envoy/config/core/v3/base.proto", "envoy.config.core.v3")]
    [InlineData("envoy/type/v3/http_status.proto", "envoy.type.v3")]
    public void File_paths_and_packages_match_envoy(string path, string package)
    {
        var file = Files().Single(f => f.Name == path);
        Assert.Equal(package, file.Package);
    }

    [Fact]
    public void Ext_proc_service_and_method_match_envoy()
    {
        var service = ExternalProcessorReflection.Descriptor.FindTypeByName<ServiceDescriptor>("ExternalProcessor");
        Assert.Equal("envoy.service.ext_proc.v3.ExternalProcessor", service.FullName);
        Assert.Equal(AIBrix.Gateway.Core.GatewayDefaults.ExtProcServiceName, service.FullName);
        var method = Assert.Single(service.Methods);
        Assert.Equal("Process", method.Name);
        Assert.True(method.IsClientStreaming);
        Assert.True(method.IsServerStreaming);
        Assert.Equal("envoy.service.ext_proc.v3.ProcessingRequest", method.InputType.FullName);
        Assert.Equal("envoy.service.ext_proc.v3.ProcessingResponse", method.OutputType.FullName);
        Assert.Equal("/envoy.service.ext_proc.v3.ExternalProcessor/Process", "/" + service.FullName + "/" + method.Name);
    }

    [Theory]
    [InlineData("envoy.service.ext_proc.v3.ProcessingRequest", "request_headers", 2)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingRequest", "protocol_config", 11)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "immediate_response", 7)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "override_message_timeout", 10)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "streamed_immediate_response", 11)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "request_drain", 12)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "typed_dynamic_metadata", 13)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "server_window_update", 14)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "request_drain_requests", 15)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingResponse", "request_drain_responses", 16)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingRequest", "flow_control_init", 12)]
    [InlineData("envoy.service.ext_proc.v3.ProcessingRequest", "client_window_update", 13)]
    [InlineData("envoy.service.ext_proc.v3.HttpBody", "end_of_stream_without_message", 3)]
    [InlineData("envoy.service.ext_proc.v3.HttpBody", "grpc_message_compressed", 4)]
    [InlineData("envoy.service.ext_proc.v3.HttpBody", "drain_complete", 5)]
    [InlineData("envoy.service.ext_proc.v3.StreamedBodyResponse", "end_of_stream_without_message", 3)]
    [InlineData("envoy.service.ext_proc.v3.StreamedBodyResponse", "grpc_message_compressed", 4)]
    [InlineData("envoy.service.ext_proc.v3.StreamedBodyResponse", "drain_complete", 5)]
    [InlineData("envoy.service.ext_proc.v3.StreamedImmediateResponse", "headers_response", 1)]
    [InlineData("envoy.service.ext_proc.v3.StreamedImmediateResponse", "body_response", 2)]
    [InlineData("envoy.service.ext_proc.v3.StreamedImmediateResponse", "trailers_response", 3)]
    [InlineData("envoy.service.ext_proc.v3.HttpHeaders", "attributes", 2)]
    [InlineData("envoy.service.ext_proc.v3.CommonResponse", "clear_route_cache", 5)]
    [InlineData("envoy.service.ext_proc.v3.ImmediateResponse", "details", 5)]
    [InlineData("envoy.config.core.v3.HeaderValue", "raw_value", 3)]
    [InlineData("envoy.config.core.v3.HeaderValueOption", "keep_empty_value", 4)]
    [InlineData("envoy.config.core.v3.Metadata", "typed_filter_metadata", 2)]
    [InlineData("envoy.type.v3.HttpStatus", "code", 1)]
    public void Field_numbers_match_envoy(string message, string field, int number)
    {
        var descriptor = Files().SelectMany(f => f.MessageTypes.Concat(f.MessageTypes.SelectMany(m => m.NestedTypes)))
            .Single(m => m.FullName == message);
        Assert.Equal(number, descriptor.FindFieldByName(field).FieldNumber);
    }

    [Fact]
    public void Processing_request_reserves_removed_async_mode_number()
    {
        Assert.Null(ProcessingRequest.Descriptor.FindFieldByNumber(1));
    }

    private static IEnumerable<FileDescriptor> Files() =>
    [
        ExternalProcessorReflection.Descriptor,
        ProcessingModeReflection.Descriptor,
        BaseReflection.Descriptor,
        HttpStatusReflection.Descriptor,
    ];
}
