using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Two PodAutoscalers on one target would fight over its replica count. The oldest one (creation time, then name)
/// keeps it; every other one reports <c>Conflicted</c> and leaves the target alone until the owner goes away. The
/// owners of all targets are worked out once per change of the PodAutoscaler cache, not per reconcile (which would
/// be quadratic in PodAutoscalers).
/// </summary>
internal sealed class TargetClaims(Func<IEnumerable<PodAutoscaler>> all)
{
    private readonly Lock _lock = new();
    private long _version;
    private long _builtAt = -1;
    private Dictionary<string, PodAutoscaler> _owners = new(StringComparer.Ordinal);

    /// <summary>A PodAutoscaler was added, changed or deleted.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    /// <summary>The PodAutoscaler that scales <paramref name="target"/>; <paramref name="self"/> when the cache has no claim yet.</summary>
    public PodAutoscaler Owner(PodAutoscaler self, ScaleTarget target)
    {
        long version = Volatile.Read(ref _version);
        Dictionary<string, PodAutoscaler> owners;
        lock (_lock)
        {
            if (_builtAt != version)
            {
                _owners = Build(all());
                _builtAt = version;
            }

            owners = _owners;
        }

        return owners.TryGetValue(target.Key, out var owner) && Older(owner, self) ? owner : self;
    }

    private static Dictionary<string, PodAutoscaler> Build(IEnumerable<PodAutoscaler> autoscalers)
    {
        var owners = new Dictionary<string, PodAutoscaler>(StringComparer.Ordinal);
        foreach (var pa in autoscalers)
        {
            if (pa.Metadata.DeletionTimestamp is not null
                || !ScaleTarget.TryResolve(pa.Spec.ScaleTargetRef, pa.Metadata.NamespaceProperty ?? "default", out var target, out _))
            {
                continue;
            }

            if (!owners.TryGetValue(target!.Key, out var owner) || Older(pa, owner))
            {
                owners[target.Key] = pa;
            }
        }

        return owners;
    }

    private static bool Older(PodAutoscaler a, PodAutoscaler b)
    {
        if (a.Metadata.Uid is { } uid && uid == b.Metadata.Uid)
        {
            return false;
        }

        var ta = a.Metadata.CreationTimestamp ?? DateTime.MaxValue;
        var tb = b.Metadata.CreationTimestamp ?? DateTime.MaxValue;
        return ta != tb ? ta < tb : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name) < 0;
    }
}
