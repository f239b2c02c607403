using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Writes core/v1 Events about an object; a failure to record is logged, never thrown.</summary>
public sealed partial class EventRecorder(IKubernetes client, string component, TimeProvider time, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Records a Normal or Warning event.</summary>
    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> about, bool warning, string reason, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ns = about.Metadata.NamespaceProperty ?? "default";
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = about.Metadata.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = about.ApiVersion, Kind = about.Kind, Name = about.Metadata.Name, NamespaceProperty = ns,
                Uid = about.Metadata.Uid, ResourceVersion = about.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = warning ? "Warning" : "Normal",
            Source = new V1EventSource { Component = component },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(ev, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(_logger, reason, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "could not record event {Reason}: {Error}")]
        public static partial void Failed(ILogger logger, string reason, string error);
    }
}
