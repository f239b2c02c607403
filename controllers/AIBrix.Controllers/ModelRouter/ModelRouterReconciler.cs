using System.Text.Json.Nodes;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.ModelRouter;

/// <summary>
/// Reconciles one model in one namespace (key <c>namespace/model</c>): with workloads, its Service and HTTPRoute exist
/// and match <see cref="ModelRouteObjects"/>; without, the ones this controller made are deleted (a real API server's
/// garbage collector does that too, through the owner references; this also covers a label that moved to another
/// model). Objects without the managed-by label are never changed: a user's own Service of that name is left alone.
/// </summary>
public sealed partial class ModelRouterReconciler(IKubernetes client, Func<IEnumerable<ModelWorkload>> workloads, ModelRouterOptions options, ILogger<ModelRouterReconciler> logger)
    : IReconciler
{
    /// <summary>The queue key of a model in a namespace.</summary>
    public static string KeyOf(string ns, string model) => ns + "/" + model;

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        string ns = key[..slash], model = key[(slash + 1)..];
        var serving = workloads().Where(w => w.Namespace == ns && w.Model == model)
            .OrderBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
        string? name = serving.Count > 0 ? ModelRouteObjects.ServiceName(serving) : null;
        bool routesInstalled = await RemoveStaleAsync(ns, model, name, cancellationToken);
        if (name is not null)
        {
            await EnsureServiceAsync(ns, model, name, serving, cancellationToken);
            if (routesInstalled)
            {
                await EnsureRouteAsync(ns, model, name, serving, cancellationToken);
            }
        }

        return ReconcileResult.Done;
    }

    // Step 1: our objects of this model under another name (the service-name annotation changed) or with no workload left.
    // Returns false when the API server has no HTTPRoute resource (Gateway API CRDs not installed): Services only, then.
    private async Task<bool> RemoveStaleAsync(string ns, string model, string? keep, CancellationToken cancellationToken)
    {
        string selector = $"{ModelLabels.Name}={model},{ModelRouteObjects.ManagedByLabel}={ModelRouteObjects.ManagedBy}";
        var services = await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
        foreach (var s in services.Items.Where(s => s.Metadata.Name != keep))
        {
            await ApiReads.OrNullAsync(() => client.CoreV1.DeleteNamespacedServiceAsync(s.Metadata.Name, ns, cancellationToken: cancellationToken));
            Log.Removed(logger, "Service", ns, s.Metadata.Name);
        }

        var routes = await ApiReads.OrNullAsync(() => client.CustomObjects.ListNamespacedCustomObjectAsync<HttpRouteList>(HttpRoute.Group, HttpRoute.Version, ns,
            HttpRoute.Plural, labelSelector: selector, cancellationToken: cancellationToken));
        if (routes is null)
        {
            Log.NoHttpRoutes(logger, ns);
            return false;
        }

        foreach (var r in routes.Items.Where(r => keep is null || r.Metadata.Name != keep + ModelRouteObjects.RouteSuffix))
        {
            await ApiReads.OrNullAsync(() => client.CustomObjects.DeleteNamespacedCustomObjectAsync<HttpRoute>(HttpRoute.Group, HttpRoute.Version, ns, HttpRoute.Plural,
                r.Metadata.Name, cancellationToken: cancellationToken));
            Log.Removed(logger, "HTTPRoute", ns, r.Metadata.Name);
        }

        return true;
    }

    // Step 2: the Service, created or brought back to the desired port, selector and owners.
    private async Task EnsureServiceAsync(string ns, string model, string name, List<ModelWorkload> serving, CancellationToken cancellationToken)
    {
        var spec = ModelRouteObjects.ServiceSpec(model, ModelRouteObjects.Port(serving));
        var owners = ModelRouteObjects.Owners(serving);
        var existing = await ApiReads.OrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken));
        if (existing is null)
        {
            await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = ModelRouteObjects.Labels(model), OwnerReferences = owners },
                Spec = spec,
            }, ns, cancellationToken: cancellationToken);
            Log.Created(logger, "Service", ns, name, model);
            return;
        }

        if (!IsManaged(existing.Metadata))
        {
            Log.NotOurs(logger, "Service", ns, name);
            return;
        }

        var port = existing.Spec.Ports?.SingleOrDefault();
        bool same = port is not null && port.Port == spec.Ports[0].Port && port.TargetPort?.Value == spec.Ports[0].TargetPort.Value
            && existing.Spec.Selector is { Count: 1 } sel && sel.TryGetValue(ModelLabels.Name, out var m) && m == model
            && SameOwners(existing.Metadata.OwnerReferences, owners);
        if (!same)
        {
            existing.Spec.Ports = spec.Ports;
            existing.Spec.Selector = spec.Selector;
            existing.Metadata.OwnerReferences = owners;
            await client.CoreV1.ReplaceNamespacedServiceAsync(existing, name, ns, cancellationToken: cancellationToken);
            Log.Updated(logger, "Service", ns, name);
        }
    }

    // Step 3: the HTTPRoute, created or brought back to the desired spec (fields the API server defaulted are kept).
    private async Task EnsureRouteAsync(string ns, string model, string serviceName, List<ModelWorkload> serving, CancellationToken cancellationToken)
    {
        string name = serviceName + ModelRouteObjects.RouteSuffix;
        var spec = ModelRouteObjects.RouteSpec(serving, serviceName, options);
        var owners = ModelRouteObjects.Owners(serving);
        var existing = await ApiReads.OrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<HttpRoute>(HttpRoute.Group, HttpRoute.Version, ns,
            HttpRoute.Plural, name, cancellationToken));
        if (existing is null)
        {
            var route = new HttpRoute
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = ModelRouteObjects.Labels(model), OwnerReferences = owners },
                Spec = spec,
            };
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(route, HttpRoute.Group, HttpRoute.Version, ns, HttpRoute.Plural,
                cancellationToken: cancellationToken);
            Log.Created(logger, "HTTPRoute", ns, name, model);
            return;
        }

        if (!IsManaged(existing.Metadata))
        {
            Log.NotOurs(logger, "HTTPRoute", ns, name);
            return;
        }

        if (!JsonSubset.Contains(existing.Spec, spec) || !SameOwners(existing.Metadata.OwnerReferences, owners))
        {
            existing.Spec = spec;
            existing.Metadata.OwnerReferences = owners;
            await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<HttpRoute>(existing, HttpRoute.Group, HttpRoute.Version, ns, HttpRoute.Plural, name,
                cancellationToken: cancellationToken);
            Log.Updated(logger, "HTTPRoute", ns, name);
        }
    }

    private static bool IsManaged(V1ObjectMeta metadata) =>
        metadata.Labels?.TryGetValue(ModelRouteObjects.ManagedByLabel, out var by) == true && by == ModelRouteObjects.ManagedBy;

    private static bool SameOwners(IList<V1OwnerReference>? actual, List<V1OwnerReference> desired) =>
        (actual ?? []).Select(o => o.Uid).Order(StringComparer.Ordinal).SequenceEqual(desired.Select(o => o.Uid).Order(StringComparer.Ordinal));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "modelrouter: created {Kind} {Namespace}/{Name} for model {Model}")]
        public static partial void Created(ILogger logger, string kind, string @namespace, string name, string model);

        [LoggerMessage(2, LogLevel.Information, "modelrouter: updated {Kind} {Namespace}/{Name}")]
        public static partial void Updated(ILogger logger, string kind, string @namespace, string name);

        [LoggerMessage(3, LogLevel.Information, "modelrouter: removed {Kind} {Namespace}/{Name}")]
        public static partial void Removed(ILogger logger, string kind, string @namespace, string name);

        [LoggerMessage(4, LogLevel.Warning, "modelrouter: {Kind} {Namespace}/{Name} exists and is not managed by aibrix-modelrouter; left as it is")]
        public static partial void NotOurs(ILogger logger, string kind, string @namespace, string name);

        [LoggerMessage(5, LogLevel.Warning, "modelrouter: no HTTPRoute resource in {Namespace} (Gateway API CRDs not installed?); Services only")]
        public static partial void NoHttpRoutes(ILogger logger, string @namespace);
    }
}

/// <summary>Whether every field of a desired JSON tree is in the actual one (the API server may add defaults).</summary>
internal static class JsonSubset
{
    public static bool Contains(JsonNode? actual, JsonNode? desired) => (actual, desired) switch
    {
        (_, null) => true,
        (JsonObject a, JsonObject d) => d.All(kv => a.TryGetPropertyValue(kv.Key, out var v) && Contains(v, kv.Value)),
        (JsonArray a, JsonArray d) => a.Count == d.Count && a.Zip(d).All(p => Contains(p.First, p.Second)),
        (JsonValue a, JsonValue d) => JsonNode.DeepEquals(a, d),
        _ => false,
    };
}
