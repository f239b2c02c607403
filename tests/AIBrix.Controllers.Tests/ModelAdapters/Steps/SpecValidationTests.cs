using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class SpecValidationTests
{
    [Theory]
    [InlineData("hf://org/lora", null, null, "base", false, "org/lora")]
    [InlineData("s3://bucket/lora", 3, "binPack", "base", false, "s3://bucket/lora")]
    [InlineData("/models/lora", 1, "default", null, true, "/models/lora")]
    [InlineData("huggingface://org/lora", null, "RANDOM", "", true, "org/lora")]
    public void Check_ValidSpec_ResolvesPathAndSetsInitialized(string artifact, int? replicas, string? scheduler, string? baseModel, bool selector, string path)
    {
        var check = SpecValidation.Check(Spec(artifact, replicas, scheduler, baseModel, selector));

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(path, check.Path);
        Assert.Equal(new AdapterCondition("Initialized", true, "Validated", "spec is valid"), check.Condition);
    }

    [Theory]
    [InlineData("", null, null, "base", false, "spec.artifactURL is required")]
    [InlineData("ftp://host/lora", null, null, "base", false, "artifactURL 'ftp://host/lora' must start with")]
    [InlineData("hf://", null, null, "base", false, "names no repository")]
    [InlineData("hf://org/lora", 0, null, "base", false, "spec.replicas must be >= 1")]
    [InlineData("hf://org/lora", -2, null, "base", false, "spec.replicas must be >= 1")]
    [InlineData("hf://org/lora", null, "roundRobin", "base", false, "spec.schedulerName 'roundRobin' is not one of leastAdapters, binPack, random")]
    [InlineData("hf://org/lora", null, null, null, false, "spec.podSelector or spec.baseModel is required")]
    [InlineData("hf://org/lora", null, null, "", false, "spec.podSelector or spec.baseModel is required")]
    [InlineData("ftp://host/lora", 0, "roundRobin", null, false, "must start with")] // several problems: the artifact is named first
    [InlineData("hf://org/lora", 0, "roundRobin", null, false, "spec.replicas")]
    public void Check_InvalidSpec_NamesTheFirstProblemAsInvalidSpec(string artifact, int? replicas, string? scheduler, string? baseModel, bool selector, string error)
    {
        var check = SpecValidation.Check(Spec(artifact, replicas, scheduler, baseModel, selector));

        Assert.False(check.IsValid);
        Assert.Contains(error, check.Error, StringComparison.Ordinal);
        Assert.Equal(("Initialized", false, "InvalidSpec", check.Error), (check.Condition.Type, check.Condition.Status, check.Condition.Reason, check.Condition.Message));
    }

    private static ModelAdapterSpec Spec(string artifact, int? replicas, string? scheduler, string? baseModel, bool selector) => new()
    {
        ArtifactUrl = artifact,
        Replicas = replicas,
        SchedulerName = scheduler,
        BaseModel = baseModel,
        PodSelector = selector ? new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "vllm" } } : null,
    };
}
