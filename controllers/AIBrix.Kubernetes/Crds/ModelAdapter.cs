using System.Text.Json.Serialization;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// <c>model.aibrix.ai/v1alpha1 ModelAdapter</c>: a LoRA adapter to keep loaded on <see cref="ModelAdapterSpec.Replicas"/>
/// pods of its base model. Field names match AIBrix's Go types so existing manifests apply unchanged.
/// </summary>
public sealed class ModelAdapter() : CustomResource<ModelAdapterSpec, ModelAdapterStatus>(Group + "/" + Version, KindName)
{
    /// <summary>API group.</summary>
    public const string Group = "model.aibrix.ai";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1alpha1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "modeladapters";

    /// <summary>Kind.</summary>
    public const string KindName = "ModelAdapter";

    /// <summary>The finalizer that makes deletion wait until the adapter is unloaded from its pods.</summary>
    public const string Finalizer = "adapter.model.aibrix.ai/finalizer";
}

/// <summary>The desired state of a <see cref="ModelAdapter"/>.</summary>
public sealed class ModelAdapterSpec
{
    /// <summary>Base model the adapter was trained on; pods serving it carry <c>model.aibrix.ai/name</c> = this.</summary>
    [JsonPropertyName("baseModel")]
    public string? BaseModel { get; set; }

    /// <summary>Pods that may host the adapter (required by AIBrix; defaults to the base model's label here).</summary>
    [JsonPropertyName("podSelector")]
    public V1LabelSelector? PodSelector { get; set; }

    /// <summary>Where the weights are: <c>s3://</c>, <c>gcs://</c>, <c>huggingface://</c>, <c>hf://</c> or a path on the pod.</summary>
    [JsonPropertyName("artifactURL")]
    public string ArtifactUrl { get; set; } = "";

    /// <summary>Secret with credentials for the artifact store.</summary>
    [JsonPropertyName("credentialsSecretRef")]
    public V1LocalObjectReference? CredentialsSecretRef { get; set; }

    /// <summary>Pods to load the adapter on (default 1).</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Placement policy: <c>leastAdapters</c> (default), <c>binPack</c> or <c>random</c>.</summary>
    [JsonPropertyName("schedulerName")]
    public string? SchedulerName { get; set; }

    /// <summary>Extra settings passed through to the engine (e.g. <c>api-key</c>).</summary>
    [JsonPropertyName("additionalConfig")]
    public Dictionary<string, string>? AdditionalConfig { get; set; }
}

/// <summary>The observed state of a <see cref="ModelAdapter"/>.</summary>
public sealed class ModelAdapterStatus
{
    /// <summary>One of <see cref="ModelAdapterPhase"/>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>Typed conditions: Initialized, Scheduled, Ready.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    /// <summary>Pods where the engine confirmed the adapter in <c>/v1/models</c>.</summary>
    [JsonPropertyName("instances")]
    public List<string>? Instances { get; set; }

    /// <summary>Pods that matched the selector and were ready at the last reconcile.</summary>
    [JsonPropertyName("candidates")]
    public List<string>? Candidates { get; set; }

    /// <summary>Count of <see cref="Instances"/>.</summary>
    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; set; }

    /// <summary>The spec generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}

/// <summary>A list of <see cref="ModelAdapter"/>, as the API server returns it.</summary>
public sealed class ModelAdapterList() : CustomResourceList<ModelAdapter>(ModelAdapter.Group + "/" + ModelAdapter.Version, "ModelAdapterList");

/// <summary>Values of <see cref="ModelAdapterStatus.Phase"/> (AIBrix's names).</summary>
public static class ModelAdapterPhase
{
    /// <summary>Accepted, not placed yet.</summary>
    public const string Pending = "Pending";

    /// <summary>Pods chosen, loading.</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>Loaded and confirmed on at least one pod.</summary>
    public const string Running = "Running";

    /// <summary>Invalid spec or retries exhausted.</summary>
    public const string Failed = "Failed";
}
