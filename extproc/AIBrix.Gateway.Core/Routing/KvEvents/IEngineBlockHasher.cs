namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// Computes a request's block hashes exactly as its engines do (their tokenizer, block size and chained hash),
/// so they can be looked up in the <see cref="KvBlockIndex"/> the engines' events build. Engine-specific: the
/// engine simulator's is <c>SimTokenizer</c> + XxHash64 chain; a vLLM deployment needs vLLM's.
/// </summary>
public interface IEngineBlockHasher
{
    /// <summary>Tokens per block on the engine (vLLM's default 16).</summary>
    int BlockSize { get; }

    /// <summary>The prompt's full-block hashes, in prompt order, and its length in engine tokens.</summary>
    (ulong[] Hashes, int Tokens) Hash(RoutingRequest request);
}
