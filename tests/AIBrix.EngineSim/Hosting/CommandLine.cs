using System.Globalization;

namespace AIBrix.EngineSim;

/// <summary>Parses <c>aibrix-enginesim</c> flags into <see cref="SimulatorOptions"/>, collecting every error.</summary>
public static class CommandLine
{
    /// <summary>The --help text.</summary>
    public const string Usage = """
        usage: aibrix-enginesim [options]
          --instances N               engines to start, on ports P..P+N-1 (default 1)
          --port P                    first port; 0 = a free port per instance (default 8000)
          --host ADDR                 bind address (default 127.0.0.1)
          --model NAME                served model (default meta-llama/Llama-3.1-8B-Instruct)
          --seed N                    seed for generated text and lengths (default 0)
          --time-scale X              simulated time runs X times faster (default 1)
          --max-model-len N           context length (default 32768)
          --num-gpu-blocks N          KV capacity in 16-token blocks (default 29952 or the profile's)
          --max-num-seqs N            batch size limit (default 256)
          --max-num-batched-tokens N  token budget per step (default 8192)
          --no-prefix-caching         disable prefix caching
          --profile FILE              step-time profile JSON (see docs/enginesim.md)
          --gpu NAME                  simulate this GPU: A10, L4, L20, L40S, A100, H100, H200 (roofline step times
                                      and KV capacity for the served model; not with --profile)
          --metrics-dialect D         vllm-v1 | vllm-v0 | sglang (default vllm-v1)
          --max-loras N               LoRA slots (default 4)
          --lora-load-time MS         simulated adapter load time in ms (default 500)
          --output-len-mean N         mean output length without max_tokens (default 128)
          --embedding-dim N           embedding vector length (default 384)
          -h, --help                  this text
        """;

    private static readonly HashSet<string> KnownFlags =
    [
        "--instances", "--port", "--host", "--model", "--seed", "--time-scale", "--max-model-len", "--num-gpu-blocks",
        "--max-num-seqs", "--max-num-batched-tokens", "--profile", "--gpu", "--metrics-dialect", "--max-loras", "--lora-load-time",
        "--output-len-mean", "--embedding-dim",
    ];

    /// <summary>Result of parsing.</summary>
    /// <param name="Options">The options, when there were no errors.</param>
    /// <param name="Errors">Every problem found.</param>
    /// <param name="HelpRequested">--help was given.</param>
    public sealed record ParseResult(SimulatorOptions? Options, IReadOnlyList<string> Errors, bool HelpRequested);

    /// <summary>Parses flags; <c>--name value</c> and <c>--name=value</c> are both accepted.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var o = new SimulatorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new ParseResult(null, [], true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                errors.Add($"unexpected argument '{arg}'");
                continue;
            }

            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            if (name == "--no-prefix-caching")
            {
                o = o with { EnablePrefixCaching = false };
                continue;
            }

            if (!KnownFlags.Contains(name))
            {
                errors.Add($"unknown flag {name} (see --help)");
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    errors.Add($"{name} needs a value");
                    continue;
                }

                value = args[++i];
            }

            o = Apply(o, name, value, errors);
        }

        errors.AddRange(o.Validate());
        return new ParseResult(errors.Count == 0 ? o : null, errors, false);
    }

    private static SimulatorOptions Apply(SimulatorOptions o, string name, string value, List<string> errors)
    {
        switch (name)
        {
            case "--instances": return Int(value, name, errors) is { } n ? o with { Instances = n } : o;
            case "--port": return Int(value, name, errors) is { } p ? o with { Port = p } : o;
            case "--host": return o with { Host = value };
            case "--model": return o with { Model = value };
            case "--seed": return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? o with { Seed = s } : Bad(o, name, value, errors);
            case "--time-scale": return Double(value, name, errors) is { } x ? o with { TimeScale = x } : o;
            case "--max-model-len": return Int(value, name, errors) is { } l ? o with { MaxModelLen = l } : o;
            case "--num-gpu-blocks": return Int(value, name, errors) is { } b ? o with { NumGpuBlocks = b } : o;
            case "--max-num-seqs": return Int(value, name, errors) is { } q ? o with { MaxNumSeqs = q } : o;
            case "--max-num-batched-tokens": return Int(value, name, errors) is { } t ? o with { MaxNumBatchedTokens = t } : o;
            case "--max-loras": return Int(value, name, errors) is { } m ? o with { MaxLoras = m } : o;
            case "--lora-load-time": return Double(value, name, errors) is { } ms ? o with { LoraLoadTime = TimeSpan.FromMilliseconds(ms) } : o;
            case "--output-len-mean": return Int(value, name, errors) is { } len ? o with { OutputLenMean = len } : o;
            case "--embedding-dim": return Int(value, name, errors) is { } d ? o with { EmbeddingDimensions = d } : o;
            case "--metrics-dialect":
                return value.ToLowerInvariant() switch
                {
                    "vllm-v1" or "vllm" => o with { MetricsDialect = MetricsDialect.VllmV1 },
                    "vllm-v0" => o with { MetricsDialect = MetricsDialect.VllmV0 },
                    "sglang" => o with { MetricsDialect = MetricsDialect.SGLang },
                    _ => Bad(o, name, value, errors, "expected vllm-v1, vllm-v0 or sglang"),
                };
            case "--gpu":
                return GpuCatalog.Find(value) is { } gpu ? o with { Gpu = gpu } : Bad(o, name, value, errors, "expected one of " + GpuCatalog.KnownNames);
            case "--profile":
                try
                {
                    return o with { Profile = StepTimeProfile.FromJson(File.ReadAllText(value)) };
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    errors.Add($"--profile '{value}': {ex.Message}");
                    return o;
                }

            default:
                errors.Add($"unknown flag {name} (see --help)");
                return o;
        }
    }

    private static int? Int(string value, string name, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
        {
            return n;
        }

        errors.Add($"{name} '{value}' is not an integer");
        return null;
    }

    private static double? Double(string value, string name, List<string> errors)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
        {
            return x;
        }

        errors.Add($"{name} '{value}' is not a number");
        return null;
    }

    private static SimulatorOptions Bad(SimulatorOptions o, string name, string value, List<string> errors, string? hint = null)
    {
        errors.Add($"{name} '{value}' is invalid" + (hint is null ? "" : $": {hint}"));
        return o;
    }
}
