using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// Step: keep the adapter addressable. A headless Service named after the adapter and an EndpointSlice listing the pods
/// that hold it, both owned by the adapter (so they go with it).
/// </summary>
internal sealed class AdapterEndpoints(IKubernetes client)
{
    /// <summary>Label on the EndpointSlice naming its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>Creates the Service once; creates the slice, or replaces its endpoints when the addresses changed.</summary>
    public async Task EnsureAsync(ModelAdapter adapter, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        string ns = adapter.Metadata.NamespaceProperty, name = adapter.Metadata.Name;
        var owner = new V1OwnerReference { ApiVersion = adapter.ApiVersion, Kind = adapter.Kind, Name = name, Uid = adapter.Metadata.Uid, BlockOwnerDeletion = true, Controller = true };
        int port = pods.Count > 0 ? PodEngines.PortOf(pods[0]) : ModelLabels.DefaultPort;
        if (await ApiReads.OrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)) is null)
        {
            await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = [owner], Labels = new Dictionary<string, string> { [ModelLabels.Name] = name } },
                Spec = new V1ServiceSpec { ClusterIP = "None", Ports = [new V1ServicePort { Name = "http", Port = port, Protocol = "TCP" }] },
            }, ns, cancellationToken: cancellationToken);
        }

        var endpoints = pods.Select(p => new V1Endpoint
        {
            Addresses = [p.Status.PodIP],
            Conditions = new V1EndpointConditions { Ready = true },
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Metadata.Name, NamespaceProperty = ns, Uid = p.Metadata.Uid },
        }).ToList();
        var slice = await ApiReads.OrNullAsync(() => client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(name, ns, cancellationToken: cancellationToken));
        if (slice is null)
        {
            await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name, NamespaceProperty = ns, OwnerReferences = [owner],
                    Labels = new Dictionary<string, string> { [ServiceNameLabel] = name, ["endpointslice.kubernetes.io/managed-by"] = "modeladapter.aibrix.ai" },
                },
                AddressType = "IPv4",
                Endpoints = endpoints,
                Ports = [HttpPort(port)],
            }, ns, cancellationToken: cancellationToken);
        }
        else if (!AddressesOf(slice.Endpoints).SequenceEqual(AddressesOf(endpoints)))
        {
            slice.Endpoints = endpoints;
            slice.Ports = [HttpPort(port)];
            await client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, name, ns, cancellationToken: cancellationToken);
        }
    }

    private static Discoveryv1EndpointPort HttpPort(int port) => new() { Name = "http", Port = port, Protocol = "TCP" };

    private static IEnumerable<string> AddressesOf(IEnumerable<V1Endpoint>? endpoints) =>
        (endpoints ?? []).SelectMany(x => x.Addresses).Order(StringComparer.Ordinal);
}
