using System.Globalization;
using System.Text.Json.Nodes;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// The server's state, as etcd is to an API server: objects by resource and (namespace, name), one resource version
/// counter bumped by every write, and the ordered event history that watches replay from a version. History before
/// <see cref="CompactedBelow"/> is gone (410 Gone for a watch that asks for it). Methods without a lock of their own
/// expect the caller to hold <see cref="Sync"/>, so a verb's read-check-write is one step.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, Dictionary<(string Ns, string Name), JsonObject>> _tables = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _history = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Held for every read and write.</summary>
    public Lock Sync { get; } = new();

    /// <summary>The current resource version (hold <see cref="Sync"/>).</summary>
    public long Version { get; private set; } = 1000;

    /// <summary>Watches from a version below this one get 410 Gone (hold <see cref="Sync"/>).</summary>
    public long CompactedBelow { get; private set; }

    /// <summary>Every event since the start, oldest first (hold <see cref="Sync"/>).</summary>
    public IReadOnlyList<StoredEvent> History => _history;

    /// <summary>Completes at the next change or bookmark request; read it under <see cref="Sync"/> before scanning history.</summary>
    public Task Changed => _changed.Task;

    /// <summary>Forgets history: versions before the current one are gone.</summary>
    public void Compact()
    {
        lock (Sync)
        {
            CompactedBelow = Version;
        }
    }

    /// <summary>The objects of one resource (hold <see cref="Sync"/>).</summary>
    public Dictionary<(string Ns, string Name), JsonObject> Table(string key)
    {
        if (!_tables.TryGetValue(key, out var table))
        {
            _tables[key] = table = [];
        }

        return table;
    }

    /// <summary>Stores <paramref name="obj"/> under a new resource version and records the event (hold <see cref="Sync"/>).</summary>
    public void Store(string key, string ns, string name, JsonObject obj, string type)
    {
        Version++;
        ApiObjects.Meta(obj)["resourceVersion"] = Version.ToString(CultureInfo.InvariantCulture);
        Table(key)[(ns, name)] = obj;
        Record(key, ns, type, obj, bump: false);
    }

    /// <summary>Removes an object and records DELETED under a new resource version (hold <see cref="Sync"/>).</summary>
    public void Delete(string key, string ns, string name, JsonObject last)
    {
        Table(key).Remove((ns, name));
        Record(key, ns, "DELETED", last, bump: true);
    }

    /// <summary>Wakes every watch (a change, or a bookmark to send).</summary>
    public void Signal()
    {
        var old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    /// <summary>Creates or replaces an object directly (test setup), with a watch event.</summary>
    public JsonObject Put(string key, string? ns, JsonObject obj)
    {
        lock (Sync)
        {
            var meta = ApiObjects.Meta(obj);
            string name = meta["name"]!.GetValue<string>();
            bool exists = Table(key).TryGetValue((ns ?? "", name), out var old);
            meta["namespace"] = ns;
            meta["uid"] = exists ? old!["metadata"]!["uid"]!.DeepClone() : Guid.NewGuid().ToString();
            meta["creationTimestamp"] ??= "2026-11-28T00:00:00Z";
            meta["generation"] ??= 1L;
            Store(key, ns ?? "", name, obj, exists ? "MODIFIED" : "ADDED");
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>Removes an object at once, finalizers or not.</summary>
    public void Remove(string key, string? ns, string name)
    {
        lock (Sync)
        {
            if (Table(key).TryGetValue((ns ?? "", name), out var old))
            {
                Delete(key, ns ?? "", name, old);
            }
        }
    }

    /// <summary>A copy of an object, or null.</summary>
    public JsonObject? Get(string key, string? ns, string name)
    {
        lock (Sync)
        {
            return Table(key).TryGetValue((ns ?? "", name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Copies of every object of a resource, in one namespace or (null) all.</summary>
    public IReadOnlyList<JsonObject> All(string key, string? ns)
    {
        lock (Sync)
        {
            return Table(key).Where(p => ns is null || p.Key.Ns == ns).Select(p => (JsonObject)p.Value.DeepClone()).ToList();
        }
    }

    // A deletion bumps the version itself: the DELETED event carries a version of its own, as the API server's does.
    private void Record(string key, string ns, string type, JsonObject obj, bool bump)
    {
        if (bump)
        {
            Version++;
            obj = (JsonObject)obj.DeepClone();
            ApiObjects.Meta(obj)["resourceVersion"] = Version.ToString(CultureInfo.InvariantCulture);
        }

        _history.Add(new StoredEvent(Version, key, ns, type, (JsonObject)obj.DeepClone()));
        Signal();
    }
}

/// <summary>One change in the store's history: its resource version, resource key, namespace, type and the object after it.</summary>
internal sealed record StoredEvent(long Version, string Key, string Ns, string Type, JsonObject Object);
