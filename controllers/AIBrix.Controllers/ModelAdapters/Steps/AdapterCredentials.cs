using System.Net;
using System.Text;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Autorest;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// Step (runtime pods only): what the runtime is handed to fetch the adapter itself. The <c>credentialsSecretRef</c>
/// Secret is read here, in the adapter's namespace, because the controller already talks to the API server and the
/// sidecar should not need to: its keys (<c>HF_TOKEN</c>, <c>AWS_ACCESS_KEY_ID</c>, ...) travel as AIBrix's
/// <c>credentials</c> field, beside the Secret's name in <c>credentials_secret</c>.
/// </summary>
internal sealed class AdapterCredentials(IKubernetes client)
{
    /// <summary>The artifact to hand a runtime, or an error when the Secret is missing (retried: it may be created later).</summary>
    public async Task<(RuntimeArtifact? Artifact, string? Error)> ResolveAsync(ModelAdapter adapter, CancellationToken cancellationToken)
    {
        var spec = adapter.Spec;
        string? secret = spec.CredentialsSecretRef?.Name is { Length: > 0 } n ? n : null;
        var config = spec.AdditionalConfig is { Count: > 0 } c ? c : null;
        if (secret is null)
        {
            return (new RuntimeArtifact(spec.ArtifactUrl, null, null, config), null);
        }

        try
        {
            var read = await client.CoreV1.ReadNamespacedSecretAsync(secret, adapter.Metadata.NamespaceProperty ?? "default", cancellationToken: cancellationToken);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, bytes) in read.Data ?? new Dictionary<string, byte[]>())
            {
                values[key] = Encoding.UTF8.GetString(bytes);
            }

            foreach (var (key, text) in read.StringData ?? new Dictionary<string, string>())
            {
                values[key] = text;
            }

            return (new RuntimeArtifact(spec.ArtifactUrl, secret, values, config), null);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return (null, $"credentials secret '{secret}' could not be read ({(int)e.Response.StatusCode})");
        }
    }
}
