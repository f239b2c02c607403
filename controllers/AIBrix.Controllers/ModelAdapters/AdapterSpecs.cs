using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>What the controller reads from a <see cref="ModelAdapterSpec"/> in more than one place, read one way.</summary>
internal static class AdapterSpecs
{
    /// <summary>The key in <c>additionalConfig</c> holding the engine's API key.</summary>
    public const string ApiKeyConfig = "api-key";

    /// <summary>Pods the adapter should be loaded on: <c>replicas</c>, at least 1 (the default).</summary>
    public static int DesiredReplicas(ModelAdapterSpec spec) => Math.Max(1, spec.Replicas ?? 1);

    /// <summary>The bearer token for the engine's adapter API, or null.</summary>
    public static string? ApiKey(ModelAdapterSpec spec) => spec.AdditionalConfig?.GetValueOrDefault(ApiKeyConfig);
}
