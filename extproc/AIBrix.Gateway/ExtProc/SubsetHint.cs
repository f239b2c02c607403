using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Processing;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Reads the endpoint-picker protocol's subset hint from an ext_proc message's metadata:
/// <c>filter_metadata["envoy.lb.subset_hint"]["x-gateway-destination-endpoint-subset"]</c>, a list of <c>ip:port</c>
/// (a single string, comma separated, is read too).
/// </summary>
internal static class SubsetHint
{
    /// <summary>The subset, or null when the proxy sent no hint.</summary>
    public static IReadOnlySet<string>? Read(Metadata metadata)
    {
        if (!metadata.FilterMetadata.TryGetValue(GatewayHeaders.SubsetHintNamespace, out var hint)
            || !hint.Fields.TryGetValue(GatewayHeaders.DestinationEndpointSubset, out var value))
        {
            return null;
        }

        return value.KindCase switch
        {
            Value.KindOneofCase.ListValue => EndpointSubset.Parse(value.ListValue.Values.Where(v => v.KindCase == Value.KindOneofCase.StringValue).Select(v => v.StringValue)),
            Value.KindOneofCase.StringValue => EndpointSubset.Parse(value.StringValue.Split(',')),
            _ => EndpointSubset.Parse([]),
        };
    }
}
