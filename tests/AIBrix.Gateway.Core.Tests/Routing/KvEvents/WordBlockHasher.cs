using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

/// <summary>A stand-in engine: one token per space-separated word, chained FNV-1a block hashes.</summary>
internal sealed class WordBlockHasher(int blockSize = 2) : IEngineBlockHasher
{
    public int BlockSize => blockSize;

    public (ulong[] Hashes, int Tokens) Hash(RoutingRequest request) => Of(request.PromptText);

    public (ulong[] Hashes, int Tokens) Of(string prompt)
    {
        string[] words = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var hashes = new ulong[words.Length / blockSize];
        ulong previous = 14695981039346656037UL;
        for (int b = 0; b < hashes.Length; b++)
        {
            for (int t = 0; t < blockSize; t++)
            {
                foreach (char c in words[(b * blockSize) + t])
                {
                    previous = (previous ^ c) * 1099511628211UL;
                }

                previous = (previous ^ ' ') * 1099511628211UL;
            }

            hashes[b] = previous;
        }

        return (hashes, words.Length);
    }
}
