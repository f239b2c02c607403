using System.Globalization;
using System.Text.Json.Nodes;

namespace AIBrix.Kubernetes.Testing;

/// <summary>JSON objects as the API server stores them, for seeding the fake API server.</summary>
public static class Objects
{
    /// <summary>The core group's API path.</summary>
    public const string CoreV1 = "api/v1";
    /// <summary>The ModelAdapter group's API path.</summary>
    public const string ModelV1Alpha1 = "apis/model.aibrix.ai/v1alpha1";

    /// <summary>The apps group's API path.</summary>
    public const string AppsV1 = "apis/apps/v1";

    /// <summary>The Gateway API's path.</summary>
    public const string GatewayV1 = "apis/gateway.networking.k8s.io/v1";

    /// <summary>A Deployment (or, with <paramref name="kind"/> StatefulSet) labelled as serving <paramref name="model"/>.</summary>
    public static JsonObject Workload(string name, string model, int? port = null, string kind = "Deployment", JsonObject? annotations = null)
    {
        var labels = new JsonObject { ["model.aibrix.ai/name"] = model };
        if (port is not null)
        {
            labels["model.aibrix.ai/port"] = port.Value.ToString(CultureInfo.InvariantCulture);
        }

        var metadata = new JsonObject { ["name"] = name, ["labels"] = labels };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name, ["model.aibrix.ai/name"] = model } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "vllm", ["image"] = "vllm/vllm-openai" }) },
                },
            },
        };
    }

    /// <summary>A pod serving <paramref name="model"/> on <paramref name="port"/>, labelled as AIBrix discovers model pods.</summary>
    public static JsonObject Pod(string name, string model, int port, string ip = "127.0.0.1", bool ready = true, string phase = "Running",
        string? engine = null, int? metricPort = null, int restarts = 0)
    {
        var labels = new JsonObject { ["model.aibrix.ai/name"] = model, ["model.aibrix.ai/port"] = port.ToString(CultureInfo.InvariantCulture) };
        if (engine is not null)
        {
            labels["model.aibrix.ai/engine"] = engine;
        }

        if (metricPort is not null)
        {
            labels["model.aibrix.ai/metric-port"] = metricPort.Value.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "vllm", ["image"] = "vllm/vllm-openai" }) },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["podIP"] = ip,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "vllm", ["restartCount"] = restarts, ["ready"] = ready, ["image"] = "vllm", ["imageID"] = "x" }),
            },
        };
    }

    /// <summary>A ModelAdapter of <paramref name="baseModel"/>, selecting the base model's pods.</summary>
    public static JsonObject Adapter(string name, string baseModel, string artifact = "huggingface://org/lora-sql", int? replicas = null, string? scheduler = null)
    {
        var spec = new JsonObject
        {
            ["baseModel"] = baseModel,
            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["model.aibrix.ai/name"] = baseModel } },
            ["artifactURL"] = artifact,
        };
        if (replicas is not null)
        {
            spec["replicas"] = replicas.Value;
        }

        if (scheduler is not null)
        {
            spec["schedulerName"] = scheduler;
        }

        return new JsonObject
        {
            ["apiVersion"] = "model.aibrix.ai/v1alpha1",
            ["kind"] = "ModelAdapter",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }
}
