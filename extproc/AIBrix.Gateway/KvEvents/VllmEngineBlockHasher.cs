using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// vLLM's block hashes (<c>--prefix-caching-hash-algo sha256_cbor</c>, <c>PYTHONHASHSEED</c> set on the engines)
/// for a routed prompt. Token ids come from the request when it sends ids, else from <paramref name="tokenizer"/>
/// (the model's own, as vLLM's completions endpoint tokenizes: special tokens added); without one a text prompt
/// gets no hashes and routing uses the estimate. Chat prompts are rendered by vLLM's chat template, which the
/// gateway cannot reproduce: they get no hashes, and routing uses the estimate for them.
/// </summary>
public sealed class VllmEngineBlockHasher(VllmBlockChain chain, int blockSize, Tokenizer? tokenizer, Func<string, bool>? isAdapter = null) : IEngineBlockHasher
{
    /// <inheritdoc/>
    public int BlockSize => blockSize;

    /// <inheritdoc/>
    public (ulong[] Hashes, int Tokens) Hash(RoutingRequest request)
    {
        if (EnginePrompt.IsTemplated(request))
        {
            return ([], request.EstimatedPromptTokens);
        }

        int[]? tokens = EnginePrompt.TryReadTokenIds(request);
        if (tokens is null)
        {
            if (tokenizer is null || request.Request is { PromptIsTokenIds: true })
            {
                return ([], request.EstimatedPromptTokens);
            }

            tokens = [.. tokenizer.EncodeToIds(request.PromptText)];
        }

        string? lora = isAdapter is not null && isAdapter(request.Model) ? request.Model : null;
        return (chain.BlockHashes(tokens, blockSize, lora), tokens.Length);
    }
}
