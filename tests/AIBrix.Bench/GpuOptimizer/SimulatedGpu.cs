using System.Globalization;
using AIBrix.EngineSim;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// A GPU type as the benchmarks simulate it: the engine simulator's roofline for the served model on that GPU
/// (<see cref="GpuCatalog"/>, <see cref="ModelCatalog"/>) and an hourly price. One place builds the engines, so
/// <c>profile</c> measures exactly the engine that <c>gpu-plan</c> later replays on.
/// </summary>
/// <param name="Spec">The GPU's public specification.</param>
/// <param name="CostPerHour">Price of one replica per hour.</param>
/// <param name="Engine">The simulated engine serving the model on one such GPU.</param>
internal sealed record SimulatedGpu(GpuSpec Spec, double CostPerHour, EngineConfig Engine)
{
    /// <summary>
    /// Indicative on-demand prices per GPU-hour (USD, late 2026, rounded; the same ratios as the cloud list prices
    /// Mélange and the AIBrix paper use). Override with <c>--cost</c>; only their ratios matter to the optimizer.
    /// </summary>
    public static IReadOnlyDictionary<string, double> DefaultPrices { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["A10"] = 1.0,
        ["L4"] = 0.8,
        ["L20"] = 1.4,
        ["L40S"] = 1.9,
        ["A100"] = 3.7,
        ["H100"] = 6.9,
        ["H200"] = 8.0,
    };

    /// <summary>Builds the simulated GPU, or says why it cannot (unknown GPU or model, model too large for the GPU).</summary>
    /// <param name="gpu">GPU name (<c>A10</c>, case-insensitive).</param>
    /// <param name="model">Served model name; its architecture must be one the simulator knows.</param>
    /// <param name="maxModelLen">Engine context length (vLLM's <c>--max-model-len</c>; capped by the KV cache).</param>
    /// <param name="cost">Price per hour, or null for <see cref="DefaultPrices"/>.</param>
    public static (SimulatedGpu? Gpu, IReadOnlyList<string> Errors) Create(string gpu, string model, int maxModelLen, double? cost = null)
    {
        if (GpuCatalog.Find(gpu) is not { } spec)
        {
            return (null, [$"unknown GPU '{gpu}': known are {GpuCatalog.KnownNames}"]);
        }

        var options = new SimulatorOptions { Gpu = spec, Model = model, MaxModelLen = maxModelLen };
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        double price = cost ?? DefaultPrices.GetValueOrDefault(spec.Name, 0);
        if (!(price > 0) || !double.IsFinite(price))
        {
            return (null, [string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: cost per hour must be a positive number")]);
        }

        return (new SimulatedGpu(spec, price, options.ToEngineConfig() with { EmitTokenEvents = false }), []);
    }

    /// <summary>A Kubernetes-style deployment name for the model on this GPU: <c>llama-3-1-8b-instruct-a10</c>.</summary>
    public static string DeploymentName(string model, string gpu)
    {
        string tail = model[(model.LastIndexOf('/') + 1)..];
        var name = new System.Text.StringBuilder();
        foreach (char c in $"{tail}-{gpu}".ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return name.ToString().Trim('-');
    }
}
