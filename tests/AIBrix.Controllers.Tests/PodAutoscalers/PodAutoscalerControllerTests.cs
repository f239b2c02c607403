using System.Text.Json.Nodes;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Controllers.Tests.Runtime;
using AIBrix.Kubernetes.Crds;
using static AIBrix.Controllers.Tests.Infrastructure.AutoscalerFixture;

namespace AIBrix.Controllers.Tests.PodAutoscalers;

/// <summary>The PodAutoscaler controller against the fake API server, with engines' metrics over real HTTP and a virtual clock.</summary>
public sealed class PodAutoscalerControllerTests
{
    private static readonly Dictionary<string, string> FastUp = new() { ["autoscaling.aibrix.ai/max-scale-up-rate"] = "10" };

    [Fact]
    public async Task Kpa_LoadStep_ScalesThroughTheScaleSubresourceWithinOneInterval()
    {
        await using var engines = await MetricPods.StartAsync(2);
        engines[0].Waiting = engines[1].Waiting = 4;
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 2));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-1", "llama", engines.Ports[1]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "KPA", "num_requests_waiting", "5"));
        });
        for (int i = 0; i < 3; i++)
        {
            await f.TickAsync();
        }

        Assert.Equal(2, f.Replicas("llama"));
        int scaleWrites = f.Api.Requests.GetValueOrDefault("PATCH deployments/scale");

        engines[0].Waiting = engines[1].Waiting = 40;
        await f.TickAsync();

        Assert.Equal(4, f.Replicas("llama")); // panic, capped at max-scale-up-rate 2 × 2 ready pods
        Assert.Equal(scaleWrites + 1, f.Api.Requests.GetValueOrDefault("PATCH deployments/scale"));
        var status = f.Pa("llama-pa")!["status"]!;
        Assert.Equal(4, status["desiredScale"]!.GetValue<int>());
        Assert.NotNull(status["lastScaleTime"]);
        var last = (status["scalingHistory"] as JsonArray)!.Last()!;
        Assert.Equal(2, last["previousScale"]!.GetValue<int>());
        Assert.Equal(4, last["newScale"]!.GetValue<int>());
        Assert.True(last["success"]!.GetValue<bool>());
        Assert.Contains("KPA panic on num_requests_waiting", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(f.Events("SuccessfulRescale"));
        Assert.Equal("True", f.ConditionStatus("llama-pa", PodAutoscalerConditions.AbleToScale));
        Assert.Equal("True", f.ConditionStatus("llama-pa", PodAutoscalerConditions.ScalingActive));
        Assert.Equal("True", f.ConditionStatus("llama-pa", PodAutoscalerConditions.ScalingLimited));
    }

    [Fact]
    public async Task FailingAndNotReadyPods_AreLeftOutNeverCountedAsIdle()
    {
        await using var engines = await MetricPods.StartAsync(4);
        engines[0].Waiting = engines[1].Waiting = 12;
        engines[2].Fail = true;
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 3));
            for (int i = 0; i < 3; i++)
            {
                api.Put(Objects.CoreV1, "pods", "default", Pod($"llama-{i}", "llama", engines.Ports[i]));
            }

            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-starting", "llama", engines.Ports[3], ready: false));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "KPA", "num_requests_waiting", "5", annotations: FastUp));
        });

        await f.TickAsync();

        // Two answering pods average 12; the total over 3 ready pods is 36 → 8. Counting the failing pod as 0 would give 24 → 5.
        Assert.Equal(8, f.Replicas("llama"));
        Assert.Equal(0, engines[3].Scrapes);
        var active = f.Condition("llama-pa", PodAutoscalerConditions.ScalingActive)!;
        Assert.Equal("True", active["status"]!.GetValue<string>());
        Assert.Contains("llama-2", active["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodWithDuplicateSeries_IsLeftOutWithTheReasonNotSummed()
    {
        await using var engines = await MetricPods.StartAsync(2);
        engines[0].Waiting = engines[1].Waiting = 12;
        engines[1].Extra = "vllm:num_requests_waiting{model_name=\"m\"} 12\n"; // the same series twice
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 2));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-1", "llama", engines.Ports[1]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "KPA", "num_requests_waiting", "5", annotations: FastUp));
        });

        await f.TickAsync();

        // llama-0 answers 12, over 2 ready pods 24 → 5; summing llama-1's duplicate (24) would give 36 → 8.
        Assert.Equal(5, f.Replicas("llama"));
        string message = f.Condition("llama-pa", PodAutoscalerConditions.ScalingActive)!["message"]!.GetValue<string>();
        Assert.Contains("llama-1", message, StringComparison.Ordinal);
        Assert.Contains("duplicate series", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SglangPods_GpuCacheUsageMeansTheirTokenUsage()
    {
        await using var engines = await MetricPods.StartAsync(2);
        engines[0].Engine = engines[1].Engine = "sglang";
        engines[0].KvUsage = engines[1].KvUsage = 0.9;
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("qwen", 2));
            api.Put(Objects.CoreV1, "pods", "default", Pod("qwen-0", "qwen", engines.Ports[0], engine: "sglang"));
            api.Put(Objects.CoreV1, "pods", "default", Pod("qwen-1", "qwen", engines.Ports[1], engine: "sglang"));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("qwen-pa", "qwen", "KPA", "gpu_cache_usage_perc", "0.5", annotations: FastUp));
        });

        await f.TickAsync();

        Assert.Equal(4, f.Replicas("qwen")); // 2 × 0.9 = 1.8 over a target of 0.5 per pod
    }

    [Fact]
    public async Task ExternalReplicaCount_IsUsedAsItIs_NotDividedByTargetValue()
    {
        await using var engines = await MetricPods.StartAsync(2);
        engines[1].Extra = "# TYPE vllm:deployment_replicas gauge\nvllm:deployment_replicas{deployment=\"llama\"} 3\n";
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 1));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "KPA", "vllm:deployment_replicas", "2",
                sourceType: "external", endpoint: $"127.0.0.1:{Port(engines.Ports[1])}", annotations: FastUp));
        });

        await f.TickAsync();

        Assert.Equal(3, f.Replicas("llama")); // ceil(3 / 2) = 2 would be AIBrix #461
        Assert.Contains("replica count 3", f.Events("SuccessfulRescale").Single()["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceMetrics_FromMetricsApi()
    {
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("web", 2));
            for (int i = 0; i < 2; i++)
            {
                api.Put(Objects.CoreV1, "pods", "default", Pod($"web-{i}", "web", 9));
                api.Put("apis/metrics.k8s.io/v1beta1", "pods", "default", new JsonObject
                {
                    ["apiVersion"] = "metrics.k8s.io/v1beta1",
                    ["kind"] = "PodMetrics",
                    ["metadata"] = new JsonObject { ["name"] = $"web-{i}", ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["usage"] = new JsonObject { ["cpu"] = "1500m", ["memory"] = "1Gi" } }),
                });
            }

            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("web-pa", "web", "KPA", "cpu", "0.5", sourceType: "resource", annotations: FastUp));
        });

        await f.TickAsync();

        Assert.Equal(6, f.Replicas("web")); // 2 × 1.5 cores over 0.5 per pod
    }

    [Fact]
    public async Task CustomKindWithScaleSubresource_IsScaledWithoutKnowingItsKind()
    {
        await using var engines = await MetricPods.StartAsync(1);
        engines[0].Waiting = 20;
        await using var f = await StartAsync(api =>
        {
            api.Resources.Register("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets",
                new ResourceKind("RayClusterFleet", HasStatus: true, new ScaleSubresource(".spec.replicas", ".status.replicas", ".status.scaleSelector")));
            api.Put("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets", "default", new JsonObject
            {
                ["apiVersion"] = "orchestration.aibrix.ai/v1alpha1",
                ["kind"] = "RayClusterFleet",
                ["metadata"] = new JsonObject { ["name"] = "fleet" },
                ["spec"] = new JsonObject { ["replicas"] = 1 },
                ["status"] = new JsonObject { ["replicas"] = 1, ["scaleSelector"] = "app=fleet" },
            });
            api.Put(Objects.CoreV1, "pods", "default", Pod("fleet-head", "fleet", engines.Ports[0]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("fleet-pa", "fleet", "APA", "num_requests_waiting", "5",
                kind: "RayClusterFleet", apiVersion: "orchestration.aibrix.ai/v1alpha1", annotations: FastUp));
        });

        await f.TickAsync();

        Assert.Equal(4, f.Api.Get("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets", "default", "fleet")!["spec"]!["replicas"].AsLong());
        Assert.True(f.Api.Requests.GetValueOrDefault("PATCH rayclusterfleets/scale") >= 1);
    }

    [Fact]
    public async Task TwoAutoscalersOnOneTarget_TheOlderScalesTheOtherReportsConflicted()
    {
        await using var engines = await MetricPods.StartAsync(1);
        engines[0].Waiting = 20;
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 1));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("a-first", "llama", "KPA", "num_requests_waiting", "5", max: 3, annotations: FastUp));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("b-second", "llama", "KPA", "num_requests_waiting", "5", max: 8, annotations: FastUp));
        });

        await f.TickAsync(autoscalers: 2);

        Assert.Equal(3, f.Replicas("llama")); // a-first's maximum; b-second would have set 4
        Assert.Equal("False", f.ConditionStatus("a-first", PodAutoscalerConditions.Conflicted));
        var conflicted = f.Condition("b-second", PodAutoscalerConditions.Conflicted)!;
        Assert.Equal("True", conflicted["status"]!.GetValue<string>());
        Assert.Contains("a-first", conflicted["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("False", f.ConditionStatus("b-second", PodAutoscalerConditions.ScalingActive));
    }

    [Fact]
    public async Task MalformedAndUnknownAnnotations_AreReportedInValidSpec_ScalingGoesOn()
    {
        await using var engines = await MetricPods.StartAsync(1);
        engines[0].Waiting = 4;
        var annotations = new Dictionary<string, string> { ["autoscaling.aibrix.ai/max-scale-up-rate"] = "fast", ["autoscaling.aibrix.ai/bogus"] = "1" };
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 1));
            api.Put(Objects.CoreV1, "pods", "default", Pod("llama-0", "llama", engines.Ports[0]));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "APA", "num_requests_waiting", "5", annotations: annotations));
        });

        await f.TickAsync();

        var valid = f.Condition("llama-pa", PodAutoscalerConditions.ValidSpec)!;
        Assert.Equal("False", valid["status"]!.GetValue<string>());
        Assert.Equal("InvalidAnnotations", valid["reason"]!.GetValue<string>());
        Assert.Contains("max-scale-up-rate", valid["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("bogus", valid["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("True", f.ConditionStatus("llama-pa", PodAutoscalerConditions.ScalingActive));
    }

    [Fact]
    public async Task MissingTarget_AbleToScaleFalse()
    {
        await using var f = await StartAsync(api =>
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("ghost-pa", "ghost", "KPA", "num_requests_waiting", "5")));

        await f.SettledAsync(1);

        var able = f.Condition("ghost-pa", PodAutoscalerConditions.AbleToScale)!;
        Assert.Equal("False", able["status"]!.GetValue<string>());
        Assert.Equal("TargetNotFound", able["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task HpaStrategy_OwnsAnHpa_RemovedWhenTheStrategyChangesAndWhenDeleted()
    {
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 1));
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "HPA", "num_requests_waiting", "5", min: 2, max: 7));
        });
        await Eventually.TrueAsync(() => f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa") is not null, "HPA created");

        var hpa = f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa")!;
        Assert.Equal("PodAutoscaler", hpa["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(2, hpa["spec"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal(7, hpa["spec"]!["maxReplicas"]!.GetValue<int>());
        Assert.Equal("Deployment", hpa["spec"]!["scaleTargetRef"]!["kind"]!.GetValue<string>());
        Assert.Equal("num_requests_waiting", hpa["spec"]!["metrics"]![0]!["pods"]!["metric"]!["name"]!.GetValue<string>());
        await Eventually.TrueAsync(() => f.Condition("llama-pa", PodAutoscalerConditions.ScalingActive)?["reason"]?.GetValue<string>() == "DelegatedToHPA", "delegated");

        var pa = f.Pa("llama-pa")!;
        pa["spec"]!["scalingStrategy"] = "KPA";
        f.Api.Put(PaPath, PodAutoscaler.Plural, "default", pa);
        await Eventually.TrueAsync(() => f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa") is null, "HPA deleted on KPA");

        pa = f.Pa("llama-pa")!;
        pa["spec"]!["scalingStrategy"] = "HPA";
        f.Api.Put(PaPath, PodAutoscaler.Plural, "default", pa);
        await Eventually.TrueAsync(() => f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa") is not null, "HPA back");

        f.Api.Remove(PaPath, PodAutoscaler.Plural, "default", "llama-pa");
        await Eventually.TrueAsync(() => f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa") is null, "HPA deleted with the PodAutoscaler");
    }

    [Fact]
    public async Task HpaOfTheSameNameOwnedBySomeoneElse_IsLeftAlone()
    {
        await using var f = await StartAsync(api =>
        {
            api.Put(Apps, "deployments", "default", Deployment("llama", 1));
            api.Put(HpaPath, "horizontalpodautoscalers", "default", new JsonObject
            {
                ["apiVersion"] = "autoscaling/v2",
                ["kind"] = "HorizontalPodAutoscaler",
                ["metadata"] = new JsonObject { ["name"] = "llama-pa" },
                ["spec"] = new JsonObject { ["maxReplicas"] = 3, ["scaleTargetRef"] = new JsonObject { ["kind"] = "Deployment", ["name"] = "other" } },
            });
            api.Put(PaPath, PodAutoscaler.Plural, "default", Autoscaler("llama-pa", "llama", "HPA", "num_requests_waiting", "5"));
        });

        await f.SettledAsync(1);

        Assert.Equal("other", f.Api.Get(HpaPath, "horizontalpodautoscalers", "default", "llama-pa")!["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.Equal("HPANotOwned", f.Condition("llama-pa", PodAutoscalerConditions.AbleToScale)!["reason"]!.GetValue<string>());
    }
}
