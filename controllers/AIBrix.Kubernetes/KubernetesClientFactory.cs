using k8s;

namespace AIBrix.Kubernetes;

/// <summary>Builds a client from an explicit kubeconfig, KUBECONFIG, the in-cluster service account, or ~/.kube/config.</summary>
public static class KubernetesClientFactory
{
    /// <summary>The configuration to use; throws with a clear message when none is found.</summary>
    public static KubernetesClientConfiguration Configuration(string? kubeconfig)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            if (!File.Exists(kubeconfig))
            {
                throw new InvalidOperationException($"kubeconfig '{kubeconfig}' does not exist");
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        string? fromEnv = Environment.GetEnvironmentVariable("KUBECONFIG");
        string path = !string.IsNullOrEmpty(fromEnv) ? fromEnv.Split(Path.PathSeparator)[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                "no Kubernetes configuration: not in a cluster, KUBECONFIG is unset or missing, and ~/.kube/config does not exist (use --kubeconfig FILE)");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
    }

    /// <summary>A client for <see cref="Configuration"/>.</summary>
    public static IKubernetes Create(string? kubeconfig) => new k8s.Kubernetes(Configuration(kubeconfig));
}
