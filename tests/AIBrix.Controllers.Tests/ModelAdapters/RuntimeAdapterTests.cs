using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters;

/// <summary>
/// The ModelAdapter controller through the AI runtime (issue #20, item 4): a pod that has a runtime gets its adapter
/// through the runtime's AIBrix routes, with the artifact URL unchanged and the credentials Secret resolved; a pod
/// without one keeps the direct engine path (the rest of <see cref="ModelAdapterControllerTests"/>).
/// </summary>
public sealed class RuntimeAdapterTests
{
    private const string Base = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>A model pod whose engine port is closed (a direct call would fail) and whose runtime is the stand-in.</summary>
    private static JsonObject RuntimePod(string name, int runtimePort, bool byAnnotation)
    {
        var pod = Objects.Pod(name, Base, port: 1);
        if (byAnnotation)
        {
            pod["metadata"]!["annotations"] = new JsonObject { [RuntimeSidecar.PortAnnotation] = runtimePort.ToString(CultureInfo.InvariantCulture) };
        }
        else
        {
            pod["spec"]!["containers"]!.AsArray().Add(new JsonObject
            {
                ["name"] = RuntimeSidecar.ContainerName,
                ["image"] = "aibrix-runtime",
                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = runtimePort }),
            });
        }

        return pod;
    }

    private static JsonObject Secret(string name, params (string Key, string Value)[] data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))))),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RuntimePod_S3Adapter_LoadedThroughTheRuntimeWithUrlAndCredentials_UnloadedWithCleanup(bool byAnnotation)
    {
        await using var runtime = await RuntimeStandIn.StartAsync();
        await using var f = await ControllerFixture.StartAsync();
        f.Api.Put(Objects.CoreV1, "secrets", "default", Secret("s3-creds", ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "s3cr3t")));
        f.Api.Put(Objects.CoreV1, "pods", "default", RuntimePod("pod-0", runtime.Port, byAnnotation));
        var adapter = Objects.Adapter("lora-s3", Base, artifact: "s3://adapters/lora-s3");
        adapter["spec"]!["credentialsSecretRef"] = new JsonObject { ["name"] = "s3-creds" };
        adapter["spec"]!["additionalConfig"] = new JsonObject { ["region"] = "eu-west-1" };
        f.CreateAdapter(adapter);

        await Eventually.TrueAsync(() => f.Phase("lora-s3") == ModelAdapterPhase.Running, "adapter Running through the runtime");

        var load = Assert.Single(runtime.Loads);
        Assert.Equal("lora-s3", load["lora_name"]!.GetValue<string>());
        Assert.Equal("s3://adapters/lora-s3", load["artifact_url"]!.GetValue<string>());
        Assert.Equal("s3-creds", load["credentials_secret"]!.GetValue<string>());
        Assert.Equal("AKIDEXAMPLE", load["credentials"]!["AWS_ACCESS_KEY_ID"]!.GetValue<string>());
        Assert.Equal("s3cr3t", load["credentials"]!["AWS_SECRET_ACCESS_KEY"]!.GetValue<string>());
        Assert.Equal("eu-west-1", load["additional_config"]!["region"]!.GetValue<string>());
        Assert.Null(load["lora_path"]);
        Assert.Equal(["pod-0"], f.Instances("lora-s3"));

        await f.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "lora-s3");
        await Eventually.TrueAsync(() => f.Adapter("lora-s3") is null, "adapter removed after its finalizer");

        var unload = Assert.Single(runtime.Unloads);
        Assert.Equal("lora-s3", unload["lora_name"]!.GetValue<string>());
        Assert.True(unload["cleanup_local"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RuntimePod_HuggingFaceAdapterWithoutSecret_SendsTheUrlUnchangedAndNoCredentials()
    {
        await using var runtime = await RuntimeStandIn.StartAsync();
        await using var f = await ControllerFixture.StartAsync();
        f.Api.Put(Objects.CoreV1, "pods", "default", RuntimePod("pod-0", runtime.Port, byAnnotation: false));
        f.CreateAdapter(Objects.Adapter("lora-hf", Base, artifact: "hf://org/lora-hf"));

        await Eventually.TrueAsync(() => f.Phase("lora-hf") == ModelAdapterPhase.Running, "adapter Running");

        var load = Assert.Single(runtime.Loads);
        Assert.Equal("hf://org/lora-hf", load["artifact_url"]!.GetValue<string>());
        Assert.Null(load["credentials_secret"]);
        Assert.Null(load["credentials"]);
    }

    [Fact]
    public async Task RuntimePod_SecretMissing_NothingSentAndTheAdapterSaysWhy()
    {
        await using var runtime = await RuntimeStandIn.StartAsync();
        await using var f = await ControllerFixture.StartAsync(new ModelAdapterOptions { MaxLoadAttempts = 2 });
        f.Api.Put(Objects.CoreV1, "pods", "default", RuntimePod("pod-0", runtime.Port, byAnnotation: false));
        var adapter = Objects.Adapter("lora-s3", Base, artifact: "s3://adapters/lora-s3");
        adapter["spec"]!["credentialsSecretRef"] = new JsonObject { ["name"] = "absent" };
        f.CreateAdapter(adapter);

        await Eventually.TrueAsync(() => f.Phase("lora-s3") == ModelAdapterPhase.Failed, "adapter Failed");

        Assert.Empty(runtime.Loads);
        var ready = f.Adapter("lora-s3")!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready");
        Assert.Contains("credentials secret 'absent'", ready!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("9000", 9000)]
    [InlineData("junk", RuntimeSidecar.DefaultPort)]
    public void PortOf_AnnotationOrContainerOrNone(string? annotation, int? expected)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Annotations = annotation is null ? null : new Dictionary<string, string> { [RuntimeSidecar.PortAnnotation] = annotation } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "vllm" }] },
        };

        Assert.Equal(expected, RuntimeSidecar.PortOf(pod));

        pod.Spec.Containers.Add(new V1Container { Name = RuntimeSidecar.ContainerName });
        Assert.Equal(expected ?? RuntimeSidecar.DefaultPort, RuntimeSidecar.PortOf(pod));
    }
}
