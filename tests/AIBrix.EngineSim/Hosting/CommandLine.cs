using System.CommandLine;
using System.CommandLine.Help;
using AIBrix.Cli;

namespace AIBrix.EngineSim;

/// <summary>
/// <c>aibrix-enginesim [options]</c> on System.CommandLine: flags map onto <see cref="SimulatorOptions"/>, whose
/// own <see cref="SimulatorOptions.Validate"/> checks the ranges; every problem is listed at once.
/// </summary>
public static class CommandLine
{
    /// <summary>The executable's name, which starts each error line.</summary>
    public const string Tool = "aibrix-enginesim";

    /// <summary>Result of parsing.</summary>
    /// <param name="Options">The options, when there were no errors.</param>
    /// <param name="Errors">Every problem found.</param>
    /// <param name="HelpRequested">--help was given.</param>
    public sealed record ParseResult(SimulatorOptions? Options, IReadOnlyList<string> Errors, bool HelpRequested);

    /// <summary>The command tree; <paramref name="run"/> gets the options once they are valid.</summary>
    public static RootCommand CreateCommand(Func<SimulatorOptions, CancellationToken, Task<int>> run) => new Symbols(run).Root;

    /// <summary>Parses flags without running anything; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var symbols = new Symbols((_, _) => Task.FromResult(0));
        var result = symbols.Root.Parse(args);
        if (result.Action is HelpAction)
        {
            return new ParseResult(null, [], true);
        }

        if (result.Errors.Count > 0)
        {
            return new ParseResult(null, [.. result.Errors.Select(e => e.Message)], false);
        }

        var options = symbols.Bind(result);
        var errors = options.Validate();
        return new ParseResult(errors.Count == 0 ? options : null, errors, false);
    }

    private sealed class Symbols
    {
        private static readonly SimulatorOptions Defaults = new();

        private readonly Option<int> _instances = CliOptions.Int("--instances", Defaults.Instances, "engines to start, on ports P..P+N-1 (at most 256)");
        private readonly Option<int> _port = CliOptions.Port("--port", Defaults.Port, "first port; 0 gives each instance a free port");
        private readonly Option<string> _host = CliOptions.Address("--host", Defaults.Host, "bind address");
        private readonly Option<string> _model = new("--model") { HelpName = "NAME", Description = "served model", DefaultValueFactory = _ => Defaults.Model };
        private readonly Option<long> _seed = CliOptions.Long("--seed", Defaults.Seed, "seed for generated text and lengths");
        private readonly Option<double> _timeScale = CliOptions.Double("--time-scale", Defaults.TimeScale, "simulated time runs X times faster", positive: true);
        private readonly Option<int> _maxModelLen = CliOptions.Int("--max-model-len", Defaults.MaxModelLen, "context length in tokens");
        private readonly Option<int?> _numGpuBlocks = new("--num-gpu-blocks")
        {
            HelpName = "N",
            Description = "KV capacity in 16-token blocks [default: the profile's, else 29952]",
            CustomParser = r => int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int n)
                ? n
                : Fail<int?>(r, "is not a whole number"),
        };

        private readonly Option<int> _maxNumSeqs = CliOptions.Int("--max-num-seqs", Defaults.MaxNumSeqs, "batch size limit");
        private readonly Option<int> _maxNumBatchedTokens = CliOptions.Int("--max-num-batched-tokens", Defaults.MaxNumBatchedTokens, "token budget per step");
        private readonly Option<bool> _noPrefixCaching = new("--no-prefix-caching") { Description = "disable prefix caching" };
        private readonly Option<StepTimeProfile?> _profile = new("--profile")
        {
            HelpName = "FILE",
            Description = $"step-time profile JSON (see docs/enginesim.md) [default: {Defaults.Profile.Name}]",
            CustomParser = r =>
            {
                string path = r.Tokens[0].Value;
                try
                {
                    return StepTimeProfile.FromJson(File.ReadAllText(path));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    r.AddError($"--profile '{path}': {e.Message}");
                    return null;
                }
            },
        };

        private readonly Option<GpuSpec?> _gpu = new("--gpu")
        {
            HelpName = "NAME",
            Description = $"simulate this GPU from its specification (roofline step times and KV capacity for the served model; not with --profile): {GpuCatalog.KnownNames}",
            CustomParser = r => GpuCatalog.Find(r.Tokens[0].Value) is { } gpu ? gpu : Fail<GpuSpec?>(r, "is not one of " + GpuCatalog.KnownNames),
        };

        // No DefaultValueFactory, so the help shows the wire name (vllm-v1), not the enum's.
        private readonly Option<MetricsDialect?> _metricsDialect = new("--metrics-dialect")
        {
            HelpName = "vllm-v1|vllm-v0|sglang",
            Description = "which engine's /metrics names to expose [default: vllm-v1]",
            CustomParser = r => r.Tokens[0].Value.ToLowerInvariant() switch
            {
                "vllm-v1" or "vllm" => MetricsDialect.VllmV1,
                "vllm-v0" => MetricsDialect.VllmV0,
                "sglang" => MetricsDialect.SGLang,
                _ => Fail<MetricsDialect?>(r, "is not vllm-v1, vllm-v0 or sglang"),
            },
        };

        private readonly Option<int> _maxLoras = CliOptions.Int("--max-loras", Defaults.MaxLoras, "LoRA adapter slots");
        private readonly Option<double> _loraLoadTime = CliOptions.Double("--lora-load-time", Defaults.LoraLoadTime.TotalMilliseconds, "simulated adapter load time in milliseconds", min: 0, helpName: "MS");
        private readonly Option<int> _outputLenMean = CliOptions.Int("--output-len-mean", Defaults.OutputLenMean, "mean output length when a request sets no max_tokens");
        private readonly Option<int> _embeddingDim = CliOptions.Int("--embedding-dim", Defaults.EmbeddingDimensions, "embedding vector length");
        private readonly Option<int?> _kvEventsPort = OptionalPort("--kv-events-port", "publish vLLM's KV-cache events (ZeroMQ PUB) on PORT+i for instance i; 0 picks free ports [default: off]");
        private readonly Option<int?> _kvEventsReplayPort = OptionalPort("--kv-events-replay-port", "serve replays of missed event batches (ZeroMQ ROUTER) on PORT+i [default: off]");
        private readonly Option<string> _kvEventsTopic = new("--kv-events-topic") { HelpName = "TOPIC", Description = "topic frame of every event message [default: empty]", DefaultValueFactory = _ => Defaults.KvEventsTopic };
        private readonly Option<int> _kvEventsBufferSteps = CliOptions.Int("--kv-events-buffer-steps", Defaults.KvEventsReplayBufferSteps, "event batches kept for replay", min: 1);
        private readonly Option<AIBrix.KvEvents.KvEventEncoding?> _kvEventsEncoding = new("--kv-events-encoding")
        {
            HelpName = "map|array",
            Description = "events as maps (vLLM since its map switch) or tagged arrays (earlier vLLM) [default: map]",
            CustomParser = r => r.Tokens[0].Value.ToLowerInvariant() switch
            {
                "map" => AIBrix.KvEvents.KvEventEncoding.Map,
                "array" => AIBrix.KvEvents.KvEventEncoding.Array,
                _ => Fail<AIBrix.KvEvents.KvEventEncoding?>(r, "is not map or array"),
            },
        };

        public Symbols(Func<SimulatorOptions, CancellationToken, Task<int>> run)
        {
            Root = new RootCommand("vLLM-compatible engine simulator: the OpenAI API, /metrics and LoRA endpoints of N engines, on a step-time model.")
            {
                _instances, _port, _host, _model, _seed, _timeScale, _maxModelLen, _numGpuBlocks, _maxNumSeqs, _maxNumBatchedTokens,
                _noPrefixCaching, _profile, _gpu, _metricsDialect, _maxLoras, _loraLoadTime, _outputLenMean, _embeddingDim,
                _kvEventsPort, _kvEventsReplayPort, _kvEventsTopic, _kvEventsBufferSteps, _kvEventsEncoding,
            };
            Root.SetAction(async (result, cancellationToken) =>
            {
                var options = Bind(result);
                var errors = options.Validate();
                return errors.Count > 0 ? CliRunner.UsageError(result, Tool, errors) : await run(options, cancellationToken);
            });
        }

        public RootCommand Root { get; }

        public SimulatorOptions Bind(System.CommandLine.ParseResult result) => new()
        {
            Instances = result.GetValue(_instances),
            Port = result.GetValue(_port),
            Host = result.GetValue(_host)!,
            Model = result.GetValue(_model)!,
            Seed = result.GetValue(_seed),
            TimeScale = result.GetValue(_timeScale),
            MaxModelLen = result.GetValue(_maxModelLen),
            NumGpuBlocks = result.GetValue(_numGpuBlocks),
            MaxNumSeqs = result.GetValue(_maxNumSeqs),
            MaxNumBatchedTokens = result.GetValue(_maxNumBatchedTokens),
            EnablePrefixCaching = !result.GetValue(_noPrefixCaching),
            Profile = result.GetValue(_profile) ?? Defaults.Profile,
            Gpu = result.GetValue(_gpu),
            MetricsDialect = result.GetValue(_metricsDialect) ?? Defaults.MetricsDialect,
            MaxLoras = result.GetValue(_maxLoras),
            LoraLoadTime = TimeSpan.FromMilliseconds(result.GetValue(_loraLoadTime)),
            OutputLenMean = result.GetValue(_outputLenMean),
            EmbeddingDimensions = result.GetValue(_embeddingDim),
            KvEventsPort = result.GetValue(_kvEventsPort),
            KvEventsReplayPort = result.GetValue(_kvEventsReplayPort),
            KvEventsTopic = result.GetValue(_kvEventsTopic)!,
            KvEventsReplayBufferSteps = result.GetValue(_kvEventsBufferSteps),
            KvEventsEncoding = result.GetValue(_kvEventsEncoding) ?? Defaults.KvEventsEncoding,
        };

        private static Option<int?> OptionalPort(string name, string description) => new(name)
        {
            HelpName = "PORT",
            Description = description,
            CustomParser = r => int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port <= 65535
                ? port
                : Fail<int?>(r, "is not a port (0-65535)"),
        };

        private static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string problem)
        {
            result.AddError($"{((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name}: '{result.Tokens[0].Value}' {problem}");
            return default!;
        }
    }
}
