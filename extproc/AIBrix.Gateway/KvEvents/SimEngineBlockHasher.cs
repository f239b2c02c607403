using AIBrix.BlockHashing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// The engine simulator's block hashes for a routed prompt: its tokenizer (<see cref="SimTokenizer"/>) and its
/// chained XxHash64 (<see cref="PrefixHasher"/>), both from the library the simulator itself uses, so a lookup uses
/// exactly the keys the simulator publishes. Completions (text or token ids) match the engine; a chat request's
/// prompt goes through the simulator's chat template, which the gateway does not see, so it gets no hashes and
/// routing uses the estimate for it.
/// </summary>
public sealed class SimEngineBlockHasher(int blockSize = 16, Func<string, bool>? isAdapter = null) : IEngineBlockHasher
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

        int[] tokens = EnginePrompt.TryReadTokenIds(request) ?? SimTokenizer.Encode(request.PromptText);
        string? adapter = isAdapter is not null && isAdapter(request.Model) ? request.Model : null;
        return (PrefixHasher.BlockHashes(tokens, BlockSize, PrefixHasher.ChainSeed(adapter)), tokens.Length);
    }
}
