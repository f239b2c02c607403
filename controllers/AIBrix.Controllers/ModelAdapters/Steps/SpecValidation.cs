using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>The outcome of <see cref="SpecValidation.Check"/>: the engine's <c>lora_path</c>, or why the spec is invalid.</summary>
internal readonly record struct SpecCheck(string Path, string? Error)
{
    /// <summary>True when the spec can be acted on.</summary>
    public bool IsValid => Error is null;

    /// <summary>The Initialized condition this outcome sets.</summary>
    public AdapterCondition Condition => Error is null
        ? new(AdapterCondition.Initialized, true, "Validated", "spec is valid")
        : new(AdapterCondition.Initialized, false, "InvalidSpec", Error);
}

/// <summary>Step: validate the spec. Pure; says the first problem, in the order the fields are read.</summary>
internal static class SpecValidation
{
    /// <summary>Checks what the CRD's schema cannot: the artifact URL, replicas, the policy name and where to place.</summary>
    public static SpecCheck Check(ModelAdapterSpec spec)
    {
        if (!ArtifactSource.TryResolve(spec.ArtifactUrl, out string path, out string error))
        {
            return new("", error);
        }

        if (spec.Replicas is < 1)
        {
            return new("", "spec.replicas must be >= 1");
        }

        if (!PlacementPolicy.IsKnown(spec.SchedulerName))
        {
            return new("", $"spec.schedulerName '{spec.SchedulerName}' is not one of leastAdapters, binPack, random");
        }

        if (spec.PodSelector is null && string.IsNullOrEmpty(spec.BaseModel))
        {
            return new("", "spec.podSelector or spec.baseModel is required");
        }

        return new(path, null);
    }
}
