using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// The engine simulator's block hashes for a routed prompt: its tokenizer (<see cref="SimTokenizer"/>), its chat
/// template (<see cref="ChatPromptTemplates.Simulator"/>) and its chained XxHash64 (<see cref="PrefixHasher"/>), all
/// from the library the simulator itself uses, so a lookup uses exactly the keys the simulator publishes.
/// Completions (text or token ids) and chat completions match the engine; a responses request's rendering is not
/// reproduced, so it gets no hashes and routing uses the estimate for it.
/// </summary>
public sealed class SimEngineBlockHasher(int blockSize = 16, Func<string, bool>? isAdapter = null) : IEngineBlockHasher
{
    /// <inheritdoc/>
    public int BlockSize => blockSize;

    /// <inheritdoc/>
    public (ulong[] Hashes, int Tokens) Hash(RoutingRequest request)
    {
        int[] tokens;
        if (EnginePrompt.IsTemplated(request))
        {
            if (EnginePrompt.ChatMessages(request) is not { } messages)
            {
                return ([], request.EstimatedPromptTokens);
            }

            tokens = SimTokenizer.Encode(ChatPromptTemplates.Simulator(messages));
        }
        else
        {
            tokens = EnginePrompt.TryReadTokenIds(request) ?? SimTokenizer.Encode(request.PromptText);
        }

        string? adapter = isAdapter is not null && isAdapter(request.Model) ? request.Model : null;
        return (PrefixHasher.BlockHashes(tokens, BlockSize, PrefixHasher.ChainSeed(adapter)), tokens.Length);
    }
}
