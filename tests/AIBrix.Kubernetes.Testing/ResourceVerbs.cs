using System.Globalization;
using System.Text.Json.Nodes;
using AIBrix.Labels;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// The API server's verbs on the store, each one step under the store's lock: get, list, create (generateName,
/// 409 AlreadyExists), update (409 Conflict on a stale resourceVersion), patch (JSON merge and strategic merge as a
/// merge patch, RFC 6902 JSON patch), delete (finalizers and deletionTimestamp), and the status subresource.
/// Results are (HTTP status, body); a null body means a NotFound Status.
/// </summary>
internal sealed class ResourceVerbs(ObjectStore store, ResourceKinds kinds)
{

    public (int, JsonObject?) Get(ApiRoute r)
    {
        lock (store.Sync)
        {
            return store.Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var o) ? (200, (JsonObject)o.DeepClone()) : (404, null);
        }
    }

    public JsonObject List(ApiRoute r, LabelSelector selector)
    {
        lock (store.Sync)
        {
            var items = new JsonArray();
            foreach (var (k, obj) in store.Table(r.Key).OrderBy(p => p.Key.Ns, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
            {
                if ((r.Ns is null || k.Ns == r.Ns) && ApiObjects.Selects(selector, obj))
                {
                    items.Add(obj.DeepClone());
                }
            }

            return new JsonObject
            {
                ["kind"] = kinds.Of(r.Key, r.Plural).Kind + "List",
                ["apiVersion"] = r.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = store.Version.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }
    }

    public (int, JsonObject?) Create(ApiRoute r, JsonObject body)
    {
        lock (store.Sync)
        {
            var meta = ApiObjects.Meta(body);
            string? name = meta["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) && meta["generateName"]?.GetValue<string>() is { } prefix)
            {
                name = prefix + Guid.NewGuid().ToString("N")[..5];
                meta["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                return (422, ApiObjects.Error(422, "Invalid", "metadata.name is required"));
            }

            if (store.Table(r.Key).ContainsKey((r.Ns ?? "", name)))
            {
                return (409, ApiObjects.Error(409, "AlreadyExists", $"{r.Plural} \"{name}\" already exists"));
            }

            meta["namespace"] = r.Ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["generation"] = 1L;
            meta["creationTimestamp"] = "2026-11-28T00:00:00Z";
            meta.Remove("deletionTimestamp");
            if (kinds.Of(r.Key, r.Plural).HasStatus)
            {
                body.Remove("status"); // resources with the status subresource ignore status on create
            }

            store.Store(r.Key, r.Ns ?? "", name, body, "ADDED");
            return (201, (JsonObject)body.DeepClone());
        }
    }

    public (int, JsonObject?) Update(ApiRoute r, JsonObject body)
    {
        lock (store.Sync)
        {
            if (!store.Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return NotFound(r);
            }

            string? rv = ApiObjects.Meta(body)["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(rv) && rv != ApiObjects.Meta(old)["resourceVersion"]!.GetValue<string>())
            {
                return (409, ApiObjects.Error(409, "Conflict", $"Operation cannot be fulfilled on {r.Plural} \"{r.Name}\": the object has been modified; please apply your changes to the latest version and try again"));
            }

            return Commit(r, old, body);
        }
    }

    public (int, JsonObject?) Patch(ApiRoute r, JsonNode? patch, string contentType)
    {
        lock (store.Sync)
        {
            if (!store.Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return NotFound(r);
            }

            var next = (JsonObject)old.DeepClone();
            if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
            {
                if (!JsonPatch.Apply(next, patch as JsonArray ?? [], out string error))
                {
                    return (422, ApiObjects.Error(422, "Invalid", error));
                }
            }
            else
            {
                next = (JsonObject)JsonPatch.Merge(next, patch)!; // merge-patch+json, and strategic-merge-patch+json read as one
            }

            string? rv = ApiObjects.Meta(next)["resourceVersion"]?.GetValue<string>();
            if (rv is not null && rv != ApiObjects.Meta(old)["resourceVersion"]!.GetValue<string>())
            {
                return (409, ApiObjects.Error(409, "Conflict", "the object has been modified"));
            }

            return Commit(r, old, next);
        }
    }

    public (int, JsonObject?) Delete(ApiRoute r)
    {
        lock (store.Sync)
        {
            if (!store.Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return NotFound(r);
            }

            var meta = ApiObjects.Meta(old);
            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                if (meta["deletionTimestamp"] is not null)
                {
                    return (200, (JsonObject)old.DeepClone());
                }

                // Finalizers hold the object: deletion only marks it, and the last finalizer's removal finishes it.
                var next = (JsonObject)old.DeepClone();
                ApiObjects.Meta(next)["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                store.Store(r.Key, r.Ns ?? "", r.Name!, next, "MODIFIED");
                return (200, (JsonObject)next.DeepClone());
            }

            store.Delete(r.Key, r.Ns ?? "", r.Name!, old);
            return (200, (JsonObject)old.DeepClone());
        }
    }

    internal static (int, JsonObject?) NotFound(ApiRoute r) => (404, ApiObjects.Error(404, "NotFound", $"{r.Plural} \"{r.Name}\" not found"));

    // Applies an update through the main resource or the status subresource, then finishes deletion when the last finalizer is gone.
    internal (int, JsonObject?) Commit(ApiRoute r, JsonObject old, JsonObject body)
    {
        JsonObject next;
        if (r.Sub == "status")
        {
            next = (JsonObject)old.DeepClone();
            next["status"] = body["status"]?.DeepClone();
        }
        else
        {
            next = body;
            var meta = ApiObjects.Meta(next);
            var oldMeta = ApiObjects.Meta(old);
            foreach (var keep in new[] { "uid", "creationTimestamp", "namespace", "deletionTimestamp", "generation" })
            {
                meta[keep] = oldMeta[keep]?.DeepClone();
            }

            if (kinds.Of(r.Key, r.Plural).HasStatus)
            {
                next["status"] = old["status"]?.DeepClone();
            }

            if (!JsonNode.DeepEquals(old["spec"], next["spec"]))
            {
                meta["generation"] = (oldMeta["generation"] is { } g ? long.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 1L) + 1;
            }
        }

        if (ApiObjects.Meta(next)["deletionTimestamp"] is not null && ApiObjects.Meta(next)["finalizers"] is not JsonArray { Count: > 0 })
        {
            store.Delete(r.Key, r.Ns ?? "", r.Name!, next);
            return (200, (JsonObject)next.DeepClone());
        }

        store.Store(r.Key, r.Ns ?? "", r.Name!, next, "MODIFIED");
        return (200, (JsonObject)next.DeepClone());
    }
}
