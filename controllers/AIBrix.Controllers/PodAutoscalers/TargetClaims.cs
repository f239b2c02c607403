using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Two PodAutoscalers on one target would fight over its replica count. The oldest one (creation time, then name)
/// keeps it; every other one reports <c>Conflicted</c> and leaves the target alone until the owner goes away.
/// </summary>
internal static class TargetClaims
{
    /// <summary>The PodAutoscaler that scales <paramref name="target"/>, among <paramref name="all"/> (<paramref name="self"/> included).</summary>
    public static PodAutoscaler Owner(PodAutoscaler self, ScaleTarget target, IEnumerable<PodAutoscaler> all)
    {
        var owner = self;
        foreach (var other in all)
        {
            if (other.Metadata.NamespaceProperty != target.Namespace || other.Metadata.DeletionTimestamp is not null
                || !ScaleTarget.TryResolve(other.Spec.ScaleTargetRef, target.Namespace, out var claimed, out _) || claimed!.Key != target.Key)
            {
                continue;
            }

            if (Older(other, owner))
            {
                owner = other;
            }
        }

        return owner;
    }

    private static bool Older(PodAutoscaler a, PodAutoscaler b)
    {
        var ta = a.Metadata.CreationTimestamp ?? DateTime.MaxValue;
        var tb = b.Metadata.CreationTimestamp ?? DateTime.MaxValue;
        return ta != tb ? ta < tb : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name) < 0;
    }
}
