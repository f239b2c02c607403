namespace AIBrix.EngineSim;

/// <summary>The shape of a dense decoder-only transformer, as far as its serving cost depends on it.</summary>
/// <param name="Name">Display name, e.g. <c>Llama-3.1-8B</c>.</param>
/// <param name="Parameters">Parameter count (embeddings included).</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="AttentionHeads">Query heads.</param>
/// <param name="KvHeads">Key/value heads (fewer than query heads under grouped-query attention).</param>
/// <param name="HeadDim">Dimension of one head.</param>
/// <param name="BytesPerParameter">2 for BF16/FP16 weights (and KV cache).</param>
public sealed record ModelArchitecture(string Name, double Parameters, int Layers, int AttentionHeads, int KvHeads, int HeadDim, int BytesPerParameter = 2)
{
    /// <summary>Bytes of weights, read once per step.</summary>
    public double WeightBytes => Parameters * BytesPerParameter;

    /// <summary>KV-cache bytes per token: keys and values of every layer.</summary>
    public double KvBytesPerToken => 2.0 * Layers * KvHeads * HeadDim * BytesPerParameter;

    /// <summary>Matmul FLOPs per token through the weights (one multiply-add per parameter).</summary>
    public double LinearFlopsPerToken => 2.0 * Parameters;

    /// <summary>Attention FLOPs per query-key pair: QKᵀ and the weighted sum of V, each a multiply-add per head dimension, in every layer.</summary>
    public double AttentionFlopsPerPair => 4.0 * Layers * AttentionHeads * HeadDim;

    /// <summary>Lists what is wrong, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Parameters > 0) || Layers <= 0 || AttentionHeads <= 0 || KvHeads <= 0 || HeadDim <= 0 || BytesPerParameter <= 0)
        {
            errors.Add($"model {Name}: parameters, layers, heads, head dimension and bytes per parameter must be > 0");
        }

        if (KvHeads > AttentionHeads)
        {
            errors.Add($"model {Name}: more KV heads than attention heads");
        }

        return errors;
    }
}
