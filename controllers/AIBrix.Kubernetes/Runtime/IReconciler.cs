namespace AIBrix.Kubernetes.Runtime;

/// <summary>What a reconcile asks of the queue afterwards.</summary>
/// <param name="RequeueAfter">Reconcile this key again after this delay (level-based polling); null = only on change.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null)
{
    /// <summary>Nothing more to do until something changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Check again after <paramref name="delay"/>.</summary>
    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

/// <summary>A level-based reconciler: given a key, make the world match the object's spec. Must be idempotent.</summary>
public interface IReconciler
{
    /// <summary>Reconciles the object with key <c>namespace/name</c>; throwing retries it with backoff.</summary>
    Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken);
}
