using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class CandidateSelectionTests
{
    private static readonly V1Pod[] Pods =
    [
        Pod("serving", "default", "llama"),
        Pod("other-model", "default", "qwen"),
        Pod("other-namespace", "team-b", "llama"),
        Pod("not-ready", "default", "llama", ready: false),
        Pod("pending", "default", "llama", phase: "Pending"),
        Pod("no-ip", "default", "llama", ip: ""),
        Pod("deleting", "default", "llama", deleting: true),
        Pod("gpu-a100", "default", "llama", gpu: "a100"),
    ];

    [Theory]
    [InlineData("default", "llama", null, "gpu-a100,serving")]
    [InlineData("default", "qwen", null, "other-model")]
    [InlineData("team-b", "llama", null, "other-namespace")]
    [InlineData("default", "mistral", null, "")]
    [InlineData("default", "ignored", "gpu=a100", "gpu-a100")]
    [InlineData("default", "ignored", "", "gpu-a100,other-model,serving")] // an empty selector matches every serving pod
    public void Select_ServingPodsOfTheNamespaceMatchingTheSelector(string ns, string baseModel, string? selector, string expected)
    {
        var spec = new ModelAdapterSpec { BaseModel = baseModel, PodSelector = selector is null ? null : Selector(selector) };

        var candidates = CandidateSelection.Select(spec, ns, Pods);

        Assert.Equal(expected, string.Join(",", candidates.Keys.Order(StringComparer.Ordinal)));
        Assert.All(candidates, c => Assert.Equal(c.Key, c.Value.Metadata.Name));
    }

    private static V1LabelSelector Selector(string text) => new()
    {
        MatchLabels = text.Length == 0 ? null : text.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]),
    };

    private static V1Pod Pod(string name, string ns, string model, bool ready = true, string phase = "Running", string ip = "10.0.0.1", bool deleting = false, string? gpu = null)
    {
        var labels = new Dictionary<string, string> { [ModelLabels.Name] = model };
        if (gpu is not null)
        {
            labels["gpu"] = gpu;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, DeletionTimestamp = deleting ? DateTime.UnixEpoch : null },
            Status = new V1PodStatus { Phase = phase, PodIP = ip, Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
        };
    }
}
