using System.Buffers;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// The matching both prefix policies share: how many leading blocks of the prompt each candidate holds
/// (one <see cref="PrefixIndex.Match"/> into a pooled buffer), and the best of them the load guard
/// allows. Dispose returns the buffer.
/// </summary>
internal ref struct PrefixMatch
{
    private int[]? _rented;

    private PrefixMatch(int[] rented, Span<int> blocks, int longest, int promptBlocks)
    {
        _rented = rented;
        Blocks = blocks;
        Longest = longest;
        PromptBlocks = promptBlocks;
    }

    /// <summary>Per candidate, the leading blocks it holds (0: none).</summary>
    public Span<int> Blocks { get; }

    /// <summary>The longest match of any candidate.</summary>
    public int Longest { get; }

    /// <summary>Blocks in the prompt.</summary>
    public int PromptBlocks { get; }

    /// <summary>Matches <paramref name="hashes"/> (the prompt's chained block hashes) against the candidates.</summary>
    public static PrefixMatch Find(PrefixIndex index, ReadOnlySpan<ulong> hashes, ReadOnlySpan<Endpoint> candidates)
    {
        int[] rented = ArrayPool<int>.Shared.Rent(candidates.Length);
        var blocks = rented.AsSpan(0, candidates.Length);
        int longest = index.Match(hashes, candidates, blocks);
        return new PrefixMatch(rented, blocks, longest, hashes.Length);
    }

    /// <summary>
    /// The candidate with the longest match of at least <paramref name="minBlocks"/> (and at least one) that
    /// <paramref name="guard"/> allows, fewest requests in flight on a tie, scanning from <paramref name="start"/>
    /// so ties spread; -1 when none qualifies.
    /// </summary>
    public readonly int BestAllowed(ReadOnlySpan<Endpoint> candidates, LoadGuard guard, double minBlocks, int start)
    {
        var blocks = Blocks;
        int best = -1;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            if (blocks[i] == 0 || blocks[i] < minBlocks || !guard.Allows(candidates[i]))
            {
                continue;
            }

            if (best < 0 || blocks[i] > blocks[best] || (blocks[i] == blocks[best] && candidates[i].InFlight < candidates[best].InFlight))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<int>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
