using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Gateway.Discovery;

/// <summary>Pure: the endpoints of a GIE <see cref="InferencePool"/>, from its selector and target port.</summary>
internal static class InferencePoolMembers
{
    /// <summary>
    /// The serving pods whose labels carry every <c>selector.matchLabels</c> entry (an empty selector matches none, as
    /// a selector-less Service has no endpoints), on <c>targetPorts[0].number</c>. A pod's model is its
    /// <c>model.aibrix.ai/name</c> label, else the pool's name. A pool being deleted, or without a valid port, has no members.
    /// </summary>
    public static IReadOnlyList<EndpointSpec> Map(InferencePool pool, IEnumerable<V1Pod> pods, IEnumerable<ModelAdapter> adapters)
    {
        var match = pool.Spec.Selector.MatchLabels;
        if (pool.Metadata.DeletionTimestamp is not null || match.Count == 0 || pool.Spec.TargetPorts is not [{ Number: > 0 and <= 65535 } port, ..])
        {
            return [];
        }

        var members = pods.Where(p => p.Metadata.Labels is { } labels && match.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
        return PodEndpointMapper.Map(members, adapters, new PodEndpointMapper.Target(pool.Metadata.Name, port.Number));
    }
}
