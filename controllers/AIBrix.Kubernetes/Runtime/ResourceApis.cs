using k8s;
using k8s.Models;

// The typed WatchAsync over a list response is marked obsolete in favour of per-resource WatchList* methods, which
// are untyped for custom objects; the typed one is kept until the client offers a typed replacement.
#pragma warning disable CS0618

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Factories of <see cref="IResourceApi{T}"/> over KubernetesClient, for one namespace or all (null).</summary>
public static class ResourceApis
{
    /// <summary>Watch requests end server-side after this long, so a silent connection can't hang forever.</summary>
    public const int WatchTimeoutSeconds = 300;

    /// <summary>Pods matching <paramref name="labelSelector"/>.</summary>
    public static IResourceApi<V1Pod> Pods(IKubernetes client, string? @namespace, string? labelSelector) =>
        new PodApi(client, @namespace, labelSelector);

    /// <summary>Deployments matching <paramref name="labelSelector"/>.</summary>
    public static IResourceApi<V1Deployment> Deployments(IKubernetes client, string? @namespace, string? labelSelector) => new TypedApi<V1Deployment, V1DeploymentList>(
        ct => @namespace is null
            ? client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: ct)
            : client.AppsV1.ListNamespacedDeploymentAsync(@namespace, labelSelector: labelSelector, cancellationToken: ct),
        (rv, ct) => @namespace is null
            ? client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: ct)
            : client.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(@namespace, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: ct));

    /// <summary>StatefulSets matching <paramref name="labelSelector"/>.</summary>
    public static IResourceApi<V1StatefulSet> StatefulSets(IKubernetes client, string? @namespace, string? labelSelector) => new TypedApi<V1StatefulSet, V1StatefulSetList>(
        ct => @namespace is null
            ? client.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: ct)
            : client.AppsV1.ListNamespacedStatefulSetAsync(@namespace, labelSelector: labelSelector, cancellationToken: ct),
        (rv, ct) => @namespace is null
            ? client.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: ct)
            : client.AppsV1.ListNamespacedStatefulSetWithHttpMessagesAsync(@namespace, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: ct));

    /// <summary>Custom objects of one CRD.</summary>
    public static IResourceApi<T> Custom<T, TList>(IKubernetes client, string group, string version, string plural, string? @namespace)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta> =>
        new CustomApi<T, TList>(client, group, version, plural, @namespace);

    private sealed class PodApi(IKubernetes client, string? ns, string? selector) : IResourceApi<V1Pod>
    {
        public async Task<ResourceList<V1Pod>> ListAsync(CancellationToken cancellationToken)
        {
            var list = ns is null
                ? await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken)
                : await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
            return new ResourceList<V1Pod>(list.Items.ToList(), list.Metadata.ResourceVersion);
        }

        public IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken)
        {
            var response = ns is null
                ? client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, labelSelector: selector,
                    resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: cancellationToken)
                : client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, allowWatchBookmarks: true, labelSelector: selector,
                    resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: cancellationToken);
            return response.WatchAsync<V1Pod, V1PodList>(onError, cancellationToken);
        }
    }

    // A built-in resource: its list call and its watch call (the same list with watch: true).
    private sealed class TypedApi<T, TList>(
        Func<CancellationToken, Task<TList>> list,
        Func<string, CancellationToken, Task<k8s.Autorest.HttpOperationResponse<TList>>> watch) : IResourceApi<T>
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
        {
            var items = await list(cancellationToken);
            return new ResourceList<T>(items.Items.ToList(), items.Metadata.ResourceVersion);
        }

        public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
            watch(resourceVersion, cancellationToken).WatchAsync<T, TList>(onError, cancellationToken);
    }

    private sealed class CustomApi<T, TList>(IKubernetes client, string group, string version, string plural, string? ns) : IResourceApi<T>
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
        {
            var list = ns is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync<TList>(group, version, plural, cancellationToken: cancellationToken)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<TList>(group, version, ns, plural, cancellationToken: cancellationToken);
            return new ResourceList<T>(list.Items.ToList(), list.Metadata.ResourceVersion);
        }

        public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken)
        {
            var response = ns is null
                ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TList>(group, version, plural, allowWatchBookmarks: true,
                    resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: cancellationToken)
                : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(group, version, ns, plural, allowWatchBookmarks: true,
                    resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, watch: true, cancellationToken: cancellationToken);
            return response.WatchAsync<T, TList>(onError, cancellationToken);
        }
    }
}
