using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// vLLM's block hashes (<c>--prefix-caching-hash-algo sha256_cbor</c>, <c>PYTHONHASHSEED</c> set on the engines)
/// for a routed prompt. Token ids come from the request when it sends ids, else from <paramref name="tokenizer"/>
/// (the model's own): a text completion as vLLM's completions endpoint tokenizes it (the beginning-of-sequence
/// token <paramref name="beginningOfSequenceId"/> first), a chat request rendered by <paramref name="chatTemplate"/>
/// and tokenized without added tokens, as vLLM's chat endpoint does. Without a tokenizer a text prompt gets no
/// hashes, and without a chat template a chat request gets none: routing uses the estimate for them.
/// </summary>
public sealed class VllmEngineBlockHasher(
    VllmBlockChain chain,
    int blockSize,
    Tokenizer? tokenizer,
    Func<string, bool>? isAdapter = null,
    int? beginningOfSequenceId = null,
    ChatTemplateKind chatTemplate = ChatTemplateKind.None) : IEngineBlockHasher
{
    /// <inheritdoc/>
    public int BlockSize => blockSize;

    /// <inheritdoc/>
    public (ulong[] Hashes, int Tokens) Hash(RoutingRequest request)
    {
        int[]? tokens;
        if (EnginePrompt.IsTemplated(request))
        {
            if (tokenizer is null || chatTemplate == ChatTemplateKind.None || EnginePrompt.ChatMessages(request) is not { } messages)
            {
                return ([], request.EstimatedPromptTokens);
            }

            tokens = [.. tokenizer.EncodeToIds(ChatPromptTemplates.Render(chatTemplate, messages))];
        }
        else
        {
            tokens = EnginePrompt.TryReadTokenIds(request);
            if (tokens is null)
            {
                if (tokenizer is null || request.Request is { PromptIsTokenIds: true })
                {
                    return ([], request.EstimatedPromptTokens);
                }

                var ids = tokenizer.EncodeToIds(request.PromptText);
                tokens = beginningOfSequenceId is { } bos ? [bos, .. ids] : [.. ids];
            }
        }

        string? lora = isAdapter is not null && isAdapter(request.Model) ? request.Model : null;
        return (chain.BlockHashes(tokens, blockSize, lora), tokens.Length);
    }
}
