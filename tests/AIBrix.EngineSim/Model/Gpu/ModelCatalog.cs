using System.Collections.Frozen;

namespace AIBrix.EngineSim;

/// <summary>
/// Architectures of common open models (from each model's published config.json), so that <c>--gpu</c> can size
/// weights, KV cache and FLOPs from the served model's name.
/// </summary>
public static class ModelCatalog
{
    /// <summary>meta-llama/Llama-3.2-1B: 1.24 B parameters, 16 layers, 32 heads, 8 KV heads of 64.</summary>
    public static ModelArchitecture Llama32_1B { get; } = new("Llama-3.2-1B", 1.24e9, 16, 32, 8, 64);

    /// <summary>meta-llama/Llama-3.2-3B: 3.21 B parameters, 28 layers, 24 heads, 8 KV heads of 128.</summary>
    public static ModelArchitecture Llama32_3B { get; } = new("Llama-3.2-3B", 3.21e9, 28, 24, 8, 128);

    /// <summary>meta-llama/Llama-2-7b: 6.74 B parameters, 32 layers, 32 heads, 32 KV heads of 128 (no GQA).</summary>
    public static ModelArchitecture Llama2_7B { get; } = new("Llama-2-7B", 6.74e9, 32, 32, 32, 128);

    /// <summary>Qwen/Qwen2.5-7B: 7.62 B parameters, 28 layers, 28 heads, 4 KV heads of 128.</summary>
    public static ModelArchitecture Qwen25_7B { get; } = new("Qwen2.5-7B", 7.62e9, 28, 28, 4, 128);

    /// <summary>meta-llama/Llama-3.1-8B (and Llama-3-8B): 8.03 B parameters, 32 layers, 32 heads, 8 KV heads of 128.</summary>
    public static ModelArchitecture Llama31_8B { get; } = new("Llama-3.1-8B", 8.03e9, 32, 32, 8, 128);

    /// <summary>meta-llama/Llama-3.1-70B (and Llama-3-70B): 70.6 B parameters, 80 layers, 64 heads, 8 KV heads of 128.</summary>
    public static ModelArchitecture Llama31_70B { get; } = new("Llama-3.1-70B", 70.6e9, 80, 64, 8, 128);

    /// <summary>Every architecture, smallest first.</summary>
    public static IReadOnlyList<ModelArchitecture> All { get; } = [Llama32_1B, Llama32_3B, Llama2_7B, Qwen25_7B, Llama31_8B, Llama31_70B];

    /// <summary>The names <see cref="Find"/> knows, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", All.Select(m => m.Name));

    private static readonly FrozenDictionary<string, ModelArchitecture> ByName = new Dictionary<string, ModelArchitecture>(StringComparer.OrdinalIgnoreCase)
    {
        ["llama-3.2-1b"] = Llama32_1B,
        ["llama-3.2-3b"] = Llama32_3B,
        ["llama-2-7b"] = Llama2_7B,
        ["llama2-7b"] = Llama2_7B,
        ["qwen2.5-7b"] = Qwen25_7B,
        ["llama-3.1-8b"] = Llama31_8B,
        ["meta-llama-3.1-8b"] = Llama31_8B,
        ["llama-3-8b"] = Llama31_8B,
        ["meta-llama-3-8b"] = Llama31_8B,
        ["llama-3.1-70b"] = Llama31_70B,
        ["meta-llama-3.1-70b"] = Llama31_70B,
        ["llama-3-70b"] = Llama31_70B,
        ["meta-llama-3-70b"] = Llama31_70B,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] VariantSuffixes = ["-instruct", "-chat", "-hf", "-it"];

    /// <summary>
    /// Finds the architecture of a served model name: the part after the last '/', case-insensitive, with
    /// <c>-Instruct</c>, <c>-chat</c>, <c>-hf</c> and <c>-it</c> suffixes ignored
    /// (<c>meta-llama/Llama-3.1-8B-Instruct</c> → Llama-3.1-8B). Null when unknown.
    /// </summary>
    public static ModelArchitecture? Find(string servedName)
    {
        string name = servedName.Trim();
        name = name[(name.LastIndexOf('/') + 1)..];
        bool trimmed = true;
        while (trimmed)
        {
            trimmed = false;
            foreach (string suffix in VariantSuffixes)
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    name = name[..^suffix.Length];
                    trimmed = true;
                }
            }
        }

        return ByName.TryGetValue(name, out var model) ? model : null;
    }
}
