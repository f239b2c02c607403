using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Bench.Replay;

/// <summary>
/// The engine simulator's block hashes for a routed prompt: its tokenizer (<see cref="SimTokenizer"/>) and its
/// chained XxHash64 over 16-token blocks (<see cref="PrefixHasher"/>), so the gateway looks a request up in the
/// index the simulator's KV-cache events build with exactly the keys the engine uses.
/// </summary>
public sealed class SimEngineBlockHasher : IEngineBlockHasher
{
    /// <summary>The simulator's block size.</summary>
    public int BlockSize => 16;

    /// <inheritdoc/>
    public (ulong[] Hashes, int Tokens) Hash(RoutingRequest request)
    {
        int[] tokens = SimTokenizer.Encode(request.PromptText);
        return (PrefixHasher.BlockHashes(tokens, BlockSize, PrefixHasher.ChainSeed(null)), tokens.Length);
    }
}
