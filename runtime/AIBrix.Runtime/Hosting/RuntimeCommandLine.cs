using System.CommandLine;
using AIBrix.Cli;
using AIBrix.EngineMetrics;

namespace AIBrix.Runtime;

/// <summary>
/// <c>aibrix-runtime [options]</c> on System.CommandLine. AIBrix's environment variables fill what the flags leave
/// out (<c>INFERENCE_ENGINE</c>, <c>INFERENCE_ENGINE_ENDPOINT</c>, <c>INFERENCE_ENGINE_VERSION</c>,
/// <c>DOWNLOADER_LOCAL_DIR</c>, <c>METRIC_SCRAPE_PATH</c>); a flag wins over its variable. A bad flag or variable is
/// one line on standard error and exit 2.
/// </summary>
public static class RuntimeCommandLine
{
    /// <summary>The executable's name, which starts each error line.</summary>
    public const string Tool = "aibrix-runtime";

    private static readonly string[] EngineNames = ["vllm", "sglang", "llamacpp", "auto"];

    /// <summary>The command tree; <paramref name="run"/> gets the options once they are valid.</summary>
    /// <param name="run">Runs the runtime.</param>
    /// <param name="environment">Reads an environment variable (the process's when null).</param>
    public static RootCommand CreateCommand(Func<RuntimeOptions, CancellationToken, Task<int>> run, Func<string, string?>? environment = null) =>
        new Symbols(run, environment ?? Environment.GetEnvironmentVariable).Root;

    private sealed class Symbols
    {
        private static readonly RuntimeOptions Defaults = new();

        private readonly Func<string, string?> _env;
        private readonly Option<int> _port = CliOptions.Port("--port", Defaults.Port, "port to listen on (0 picks a free one)");
        private readonly Option<string> _host = CliOptions.Address("--host", Defaults.Host, "bind address");
        private readonly Option<Uri?> _engineUrl = CliOptions.Url("--engine-url", "the engine's base address [env INFERENCE_ENGINE_ENDPOINT, default http://localhost:8000]");
        private readonly Option<string?> _engine = new("--engine")
        {
            HelpName = string.Join('|', EngineNames),
            Description = "the engine's family; auto reads it from the engine's /metrics names [env INFERENCE_ENGINE, default vllm]",
            CustomParser = r => ParseEngineName(r.Tokens[0].Value) is { } name ? name : Fail(r, "is not " + CliOptions.OneOf(EngineNames)),
        };

        private readonly Option<string?> _engineVersion = new("--engine-version") { HelpName = "VERSION", Description = "the engine's version, for aibrix:info [env INFERENCE_ENGINE_VERSION]" };
        private readonly Option<string?> _modelsDir = new("--models-dir") { HelpName = "DIR", Description = "where downloads land; what /v1/model/list lists [env DOWNLOADER_LOCAL_DIR, default /tmp/aibrix/models]" };
        private readonly Option<string> _secretsDir = new("--secrets-dir") { HelpName = "DIR", Description = "where credentials secrets are mounted, one folder per secret", DefaultValueFactory = _ => Defaults.SecretsDir };
        private readonly Option<string> _keepOriginal = CliOptions.Choice("--keep-original-metrics", "true", "repeat the engine's own series beside the aibrix:* ones", "true", "false");
        private readonly Option<int> _cacheMs = CliOptions.Int("--metrics-cache-ms", (int)Defaults.MetricsCacheTtl.TotalMilliseconds, "one engine scrape serves /metrics this long", min: 0, max: 600_000, helpName: "MS");
        private readonly Option<int> _scrapeTimeoutMs = CliOptions.Int("--scrape-timeout-ms", (int)Defaults.ScrapeTimeout.TotalMilliseconds, "limit on one engine scrape or readiness probe", min: 1, max: 600_000, helpName: "MS");
        private readonly Option<int> _engineTimeoutS = CliOptions.Int("--engine-timeout-s", (int)Defaults.EngineTimeout.TotalSeconds, "limit on one management call to the engine", min: 1, max: 86_400, helpName: "S");

        public Symbols(Func<RuntimeOptions, CancellationToken, Task<int>> run, Func<string, string?> environment)
        {
            _env = environment;
            Root = new RootCommand("AIBrix AI runtime: the sidecar beside one engine (vLLM, SGLang, llama.cpp): adapter loads, artifact downloads, standard aibrix:* metrics.")
            {
                _port, _host, _engineUrl, _engine, _engineVersion, _modelsDir, _secretsDir, _keepOriginal, _cacheMs, _scrapeTimeoutMs, _engineTimeoutS,
            };
            Root.SetAction(async (result, cancellationToken) =>
            {
                var errors = new List<string>();
                var options = Bind(result, errors);
                errors.AddRange(options.Validate());
                return errors.Count > 0 ? CliRunner.UsageError(result, Tool, errors) : await run(options, cancellationToken).ConfigureAwait(false);
            });
        }

        public RootCommand Root { get; }

        private RuntimeOptions Bind(ParseResult result, List<string> errors)
        {
            var engineUrl = result.GetValue(_engineUrl);
            if (engineUrl is null && Env("INFERENCE_ENGINE_ENDPOINT") is { } endpoint)
            {
                if (Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
                {
                    engineUrl = parsed;
                }
                else
                {
                    errors.Add($"INFERENCE_ENGINE_ENDPOINT: '{endpoint}' is not an http:// or https:// URL");
                }
            }

            string? engineName = result.GetValue(_engine);
            if (engineName is null && Env("INFERENCE_ENGINE") is { } fromEnv)
            {
                engineName = ParseEngineName(fromEnv);
                if (engineName is null)
                {
                    errors.Add($"INFERENCE_ENGINE: '{fromEnv}' is not {CliOptions.OneOf(EngineNames)}");
                }
            }

            EngineKind? engine = engineName switch
            {
                null => EngineKind.Vllm, // AIBrix's default
                "auto" => null,
                _ => EngineKinds.TryParse(engineName, out var kind) ? kind : EngineKind.Vllm,
            };

            string metricsPath = Env("METRIC_SCRAPE_PATH") ?? Defaults.MetricsPath;
            return new RuntimeOptions
            {
                Port = result.GetValue(_port),
                Host = result.GetValue(_host)!,
                EngineUrl = engineUrl ?? Defaults.EngineUrl,
                Engine = engine,
                EngineVersion = result.GetValue(_engineVersion) ?? Env("INFERENCE_ENGINE_VERSION") ?? "",
                ModelsDir = result.GetValue(_modelsDir) ?? Env("DOWNLOADER_LOCAL_DIR") ?? Defaults.ModelsDir,
                SecretsDir = result.GetValue(_secretsDir)!,
                MetricsPath = metricsPath,
                KeepOriginalMetrics = result.GetValue(_keepOriginal) == "true",
                MetricsCacheTtl = TimeSpan.FromMilliseconds(result.GetValue(_cacheMs)),
                ScrapeTimeout = TimeSpan.FromMilliseconds(result.GetValue(_scrapeTimeoutMs)),
                EngineTimeout = TimeSpan.FromSeconds(result.GetValue(_engineTimeoutS)),
            };
        }

        private string? Env(string name) => _env(name) is { Length: > 0 } value ? value.Trim() : null;

        private static string? ParseEngineName(string text)
        {
            if (string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            {
                return "auto";
            }

            return EngineKinds.TryParse(text, out var kind)
                ? kind switch { EngineKind.Sglang => "sglang", EngineKind.LlamaCpp => "llamacpp", _ => "vllm" }
                : null;
        }

        private static string? Fail(System.CommandLine.Parsing.ArgumentResult result, string problem)
        {
            result.AddError($"{((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name}: '{result.Tokens[0].Value}' {problem}");
            return null;
        }
    }
}
