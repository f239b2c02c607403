namespace AIBrix.Controllers.ModelAdapters;

/// <summary>Turns a ModelAdapter's <c>artifactURL</c> into the <c>lora_path</c> the engine is given.</summary>
public static class ArtifactSource
{
    /// <summary>
    /// <c>huggingface://org/repo</c> and <c>hf://org/repo</c> become <c>org/repo</c> (the engine resolves Hugging Face ids);
    /// <c>s3://</c> and <c>gcs://</c> pass through for the engine's runtime sidecar to download; absolute paths are used as is.
    /// </summary>
    public static bool TryResolve(string? url, out string path, out string error)
    {
        path = "";
        error = "";
        if (string.IsNullOrWhiteSpace(url))
        {
            error = "spec.artifactURL is required";
            return false;
        }

        foreach (var prefix in new[] { "huggingface://", "hf://" })
        {
            if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                path = url[prefix.Length..].Trim('/');
                if (path.Length == 0)
                {
                    error = $"artifactURL '{url}' names no repository";
                    return false;
                }

                return true;
            }
        }

        if (url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("gcs://", StringComparison.OrdinalIgnoreCase))
        {
            if (url.IndexOf("://", StringComparison.Ordinal) + 3 >= url.Length)
            {
                error = $"artifactURL '{url}' names no bucket";
                return false;
            }

            path = url;
            return true;
        }

        if (url.StartsWith('/'))
        {
            path = url;
            return true;
        }

        error = $"artifactURL '{url}' must start with s3://, gcs://, huggingface://, hf:// or be an absolute path";
        return false;
    }
}
