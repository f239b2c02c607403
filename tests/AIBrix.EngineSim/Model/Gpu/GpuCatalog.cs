using System.Collections.Frozen;

namespace AIBrix.EngineSim;

/// <summary>
/// The GPUs <c>--gpu</c> knows, from NVIDIA's datasheets (docs/enginesim.md lists each source). Throughput is the
/// dense BF16 tensor figure: the datasheets' headline numbers with an asterisk assume 2:4 sparsity, which LLM
/// serving does not use.
/// </summary>
public static class GpuCatalog
{
    private const double GddrEcc = 1.0 / 16;

    /// <summary>NVIDIA A10: 24 GB GDDR6, 600 GB/s, 125 TFLOPS BF16.</summary>
    public static GpuSpec A10 { get; } = new("A10", 24, 600, 125, GddrEcc);

    /// <summary>NVIDIA L4: 24 GB GDDR6, 300 GB/s, 121 TFLOPS BF16.</summary>
    public static GpuSpec L4 { get; } = new("L4", 24, 300, 121, GddrEcc);

    /// <summary>NVIDIA L20: 48 GB GDDR6, 864 GB/s, 119.5 TFLOPS BF16.</summary>
    public static GpuSpec L20 { get; } = new("L20", 48, 864, 119.5, GddrEcc);

    /// <summary>NVIDIA L40S: 48 GB GDDR6, 864 GB/s, 362 TFLOPS BF16.</summary>
    public static GpuSpec L40S { get; } = new("L40S", 48, 864, 362.05, GddrEcc);

    /// <summary>NVIDIA A100 80GB SXM: 80 GB HBM2e, 2,039 GB/s, 312 TFLOPS BF16.</summary>
    public static GpuSpec A100 { get; } = new("A100", 80, 2039, 312, 0);

    /// <summary>NVIDIA H100 SXM 80GB: 80 GB HBM3, 3,350 GB/s, 989 TFLOPS BF16.</summary>
    public static GpuSpec H100 { get; } = new("H100", 80, 3350, 989.4, 0);

    /// <summary>NVIDIA H200 SXM: 141 GB HBM3e, 4,800 GB/s, 989 TFLOPS BF16.</summary>
    public static GpuSpec H200 { get; } = new("H200", 141, 4800, 989.4, 0);

    /// <summary>Every GPU, smallest first.</summary>
    public static IReadOnlyList<GpuSpec> All { get; } = [A10, L4, L20, L40S, A100, H100, H200];

    private static readonly FrozenDictionary<string, GpuSpec> ByName = BuildIndex();

    /// <summary>The names <see cref="Find"/> accepts, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", All.Select(g => g.Name));

    /// <summary>Finds a GPU by name, case-insensitively; <c>A100-80GB</c>, <c>H100-SXM</c> and the like are accepted too.</summary>
    public static GpuSpec? Find(string name) =>
        ByName.TryGetValue(name.Trim(), out var gpu) ? gpu : null;

    private static FrozenDictionary<string, GpuSpec> BuildIndex()
    {
        var index = All.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        index["A10-24GB"] = A10;
        index["L4-24GB"] = L4;
        index["L20-48GB"] = L20;
        index["L40S-48GB"] = L40S;
        index["A100-80GB"] = A100;
        index["A100-SXM4-80GB"] = A100;
        index["H100-80GB"] = H100;
        index["H100-SXM"] = H100;
        index["H100-SXM5-80GB"] = H100;
        index["H200-SXM"] = H200;
        return index.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
