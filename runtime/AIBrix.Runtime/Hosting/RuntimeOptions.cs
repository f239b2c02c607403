using AIBrix.EngineMetrics;
using AIBrix.Runtime.Artifacts;

namespace AIBrix.Runtime;

/// <summary>
/// Settings of one runtime sidecar, from the command line and AIBrix's environment variables
/// (<see cref="RuntimeCommandLine"/>). Every default is the one a sidecar beside one engine in a pod wants.
/// </summary>
public sealed record RuntimeOptions
{
    /// <summary>Port to listen on; 0 lets the OS pick one (tests). AIBrix's runtime listens on 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Address to bind.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>The engine's base address (vLLM's <c>http://localhost:8000</c> in a pod).</summary>
    public Uri EngineUrl { get; init; } = new("http://localhost:8000");

    /// <summary>The engine's family; null means "auto": read it from the names on the engine's /metrics page.</summary>
    public EngineKind? Engine { get; init; }

    /// <summary>The engine's version, for <c>aibrix:info</c> only.</summary>
    public string EngineVersion { get; init; } = "";

    /// <summary>Where downloaded models and adapters go, and what <c>/v1/model/list</c> lists.</summary>
    public string ModelsDir { get; init; } = "/tmp/aibrix/models";

    /// <summary>Folder where Kubernetes secrets named by <c>credentials_secret</c> are mounted, one folder per secret
    /// holding one file per key (how a secret volume looks).</summary>
    public string SecretsDir { get; init; } = "/var/run/secrets/aibrix";

    /// <summary>Path of the engine's metrics page (AIBrix's <c>METRIC_SCRAPE_PATH</c>).</summary>
    public string MetricsPath { get; init; } = "/metrics";

    /// <summary>Whether /metrics repeats the engine's own series beside the <c>aibrix:*</c> ones.</summary>
    public bool KeepOriginalMetrics { get; init; } = true;

    /// <summary>How long one scrape of the engine's /metrics serves; a burst of scrapes within it reaches the engine once.</summary>
    public TimeSpan MetricsCacheTtl { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Limit on one scrape of the engine's /metrics and on one readiness probe.</summary>
    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Limit on one management call to the engine (an adapter load may read gigabytes).</summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How the artifact downloader fetches (its defaults read <c>HF_ENDPOINT</c> and <c>HF_TOKEN</c>).</summary>
    public ArtifactDownloaderOptions Downloads { get; init; } = new();

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"--port: {Port} is not a port (0-65535)");
        }

        if (!EngineUrl.IsAbsoluteUri || EngineUrl.Scheme is not ("http" or "https"))
        {
            errors.Add($"--engine-url: '{EngineUrl}' is not an http:// or https:// URL");
        }

        if (string.IsNullOrWhiteSpace(ModelsDir) || !Path.IsPathFullyQualified(ModelsDir))
        {
            errors.Add($"--models-dir: '{ModelsDir}' is not an absolute path");
        }

        if (string.IsNullOrWhiteSpace(SecretsDir) || !Path.IsPathFullyQualified(SecretsDir))
        {
            errors.Add($"--secrets-dir: '{SecretsDir}' is not an absolute path");
        }

        if (!MetricsPath.StartsWith('/'))
        {
            errors.Add($"metrics path: '{MetricsPath}' does not start with /");
        }

        if (MetricsCacheTtl < TimeSpan.Zero)
        {
            errors.Add("--metrics-cache-ms must not be negative");
        }

        if (ScrapeTimeout <= TimeSpan.Zero)
        {
            errors.Add("--scrape-timeout-ms must be positive");
        }

        if (EngineTimeout <= TimeSpan.Zero)
        {
            errors.Add("--engine-timeout-s must be positive");
        }

        return errors;
    }
}
