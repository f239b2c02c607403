using k8s;
using k8s.Models;

namespace AIBrix.Controllers.Fleets;

/// <summary>Owner references, keys and status comparison shared by the fleet and replica set controllers.</summary>
internal static class FleetObjects
{
    /// <summary>A controller owner reference to <paramref name="owner"/> that blocks its deletion until the dependant is gone.</summary>
    public static V1OwnerReference OwnedBy(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The name of the controller of <paramref name="obj"/> when it is of <paramref name="kind"/>.</summary>
    public static string? ControllerName(IKubernetesObject<V1ObjectMeta> obj, string kind) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == kind)?.Name;

    /// <summary>Whether <paramref name="owner"/> is the controller of <paramref name="obj"/>.</summary>
    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> owner) =>
        obj.Metadata.NamespaceProperty == owner.Metadata.NamespaceProperty
        && obj.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Metadata.Uid) == true;

    /// <summary>The work queue key of an object in <paramref name="ns"/>.</summary>
    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    /// <summary>Whether two statuses serialize alike (an unchanged status is not written: no write, no event, no loop).</summary>
    public static bool Same<T>(T? a, T? b) => a is null || b is null ? a is null && b is null : KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    /// <summary>A deep copy through JSON.</summary>
    public static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
