namespace AIBrix.Kubernetes.Crds;

/// <summary>The pod labels discovery and the controllers read (AIBrix's names).</summary>
public static class ModelLabels
{
    /// <summary>The served base model; pods without it are not model pods.</summary>
    public const string Name = "model.aibrix.ai/name";

    /// <summary>The serving port (default <see cref="DefaultPort"/>).</summary>
    public const string Port = "model.aibrix.ai/port";

    /// <summary>The <c>/metrics</c> port when it differs from the serving port.</summary>
    public const string MetricPort = "model.aibrix.ai/metric-port";

    /// <summary>Engine family: vllm, sglang, llamacpp.</summary>
    public const string Engine = "model.aibrix.ai/engine";

    /// <summary>Serving port when the label is missing.</summary>
    public const int DefaultPort = 8000;
}
