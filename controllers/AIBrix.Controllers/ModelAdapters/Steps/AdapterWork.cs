namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>What one reconcile of a valid adapter works on, read once from the adapter.</summary>
/// <param name="Key">The queue key, <c>namespace/name</c>.</param>
/// <param name="Ns">The adapter's namespace.</param>
/// <param name="Name">The adapter's name, which is also the model id engines serve it under.</param>
/// <param name="Path">The <c>lora_path</c> engines load it from.</param>
/// <param name="ApiKey">The bearer token of the engines' adapter API, or null.</param>
/// <param name="Replicas">Pods to load it on.</param>
/// <param name="Now">The reconcile's time, for condition transitions.</param>
/// <param name="Generation">The spec generation this reconcile acts on.</param>
internal sealed record AdapterWork(string Key, string Ns, string Name, string Path, string? ApiKey, int Replicas, DateTime Now, long? Generation);
