using System.Text.RegularExpressions;
using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Artifacts.Sources;

namespace AIBrix.Runtime.Http;

/// <summary>
/// Checks on what a request names before anything is fetched: the artifact URI's scheme, folder names that must stay
/// inside their parent, and credentials secrets mounted as folders.
/// </summary>
internal static partial class ArtifactSources
{
    /// <summary>
    /// The source kind (huggingface, s3, local) of an artifact URI, read by the downloader's own parser so a request
    /// fails here, before anything starts, with the message the download itself would give. Null with an
    /// <c>invalid_artifact_url</c> error on <paramref name="param"/> when the URI is not one the downloader can fetch.
    /// </summary>
    public static string? SourceOf(string uri, string param, out ApiError? error)
    {
        try
        {
            error = null;
            return ArtifactSourceParser.KindOf(uri);
        }
        catch (ArtifactException e)
        {
            error = ApiError.FromArtifact(e, param);
            return null;
        }
    }

    /// <summary>The last non-empty segment of a URI or path (<c>hf://org/name</c> gives <c>name</c>).</summary>
    public static string LastSegment(string uri)
    {
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        string path = scheme >= 0 ? uri[(scheme + 3)..] : uri;
        int query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            path = path[..query];
        }

        return path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
    }

    /// <summary>True when <paramref name="relative"/> is one or more plain folder names (no <c>..</c>, not rooted).</summary>
    public static bool IsSafeRelativePath(string relative) =>
        !string.IsNullOrWhiteSpace(relative)
        && !Path.IsPathRooted(relative)
        && relative.Length <= 255
        && relative.Split('/').All(s => s.Length > 0 && s != "." && s != ".." && !s.Contains('\\') && !s.Contains('\0'));

    /// <summary>Reads a secret mounted under <paramref name="secretsDir"/>: one file per key. Null with an error when it cannot.</summary>
    public static Dictionary<string, string>? ReadSecret(string secretsDir, string name, out ApiError? error)
    {
        error = null;
        if (!SecretName().IsMatch(name))
        {
            error = ApiError.BadRequest($"'{name}' is not a Kubernetes secret name.", "invalid_value", "credentials_secret");
            return null;
        }

        string folder = Path.Combine(secretsDir, name);
        if (!Directory.Exists(folder))
        {
            error = ApiError.BadRequest($"The credentials secret '{name}' is not mounted at {folder}: mount it as a volume there.", "credentials_secret_not_found", "credentials_secret");
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (string file in Directory.EnumerateFiles(folder))
            {
                string key = Path.GetFileName(file);
                if (!key.StartsWith('.'))
                {
                    values[key] = File.ReadAllText(file).Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new ApiError(500, $"The credentials secret '{name}' cannot be read: {e.Message}", "credentials_secret_unreadable", "credentials_secret");
            return null;
        }

        return values;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
