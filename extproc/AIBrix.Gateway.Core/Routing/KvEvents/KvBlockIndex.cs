using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// What every pod's engine has cached, from its own KV-cache events (vLLM's <c>BlockStored</c>,
/// <c>BlockRemoved</c>, <c>AllBlocksCleared</c>): precise where the prefix index only guesses from what this
/// gateway sent, and the same in every gateway replica. Pure: the host feeds each pod's <see cref="PodBlocks"/>
/// from its event subscriber (ZeroMQ live, in-process in a virtual replay). Pods that never publish are not
/// <see cref="PodBlocks.IsFresh"/> and keep the estimate. Besides each pod's blocks the index keeps which pods
/// hold each hash (<see cref="BlockHolders"/>), so a decision matches every candidate in one walk of the prompt.
/// </summary>
public sealed class KvBlockIndex(KvBlockIndexOptions? options = null, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, PodBlocks> _pods = new(StringComparer.Ordinal);
    private readonly KvBlockIndexOptions _options = options ?? new KvBlockIndexOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly BlockHolders _holders = new();
    private readonly Lock _numbersLock = new();
    private readonly SortedSet<int> _freeNumbers = [];
    private int _nextNumber;

    /// <summary>The pod's blocks, created on first use (by its subscriber).</summary>
    public PodBlocks ForPod(string pod)
    {
        if (_pods.TryGetValue(pod, out var blocks))
        {
            return blocks;
        }

        lock (_numbersLock)
        {
            if (_pods.TryGetValue(pod, out blocks))
            {
                return blocks;
            }

            int number;
            if (_freeNumbers.Count > 0)
            {
                number = _freeNumbers.Min;
                _freeNumbers.Remove(number);
            }
            else
            {
                number = _nextNumber++;
            }

            blocks = new PodBlocks(_options, _time, _holders, number);
            _pods[pod] = blocks;
            return blocks;
        }
    }

    /// <summary>Forgets a pod that left the service.</summary>
    public void RemovePod(string pod)
    {
        lock (_numbersLock)
        {
            if (_pods.TryRemove(pod, out var blocks))
            {
                blocks.Detach();
                _freeNumbers.Add(blocks.Number);
            }
        }
    }

    /// <summary>Pods with a subscriber.</summary>
    public int PodCount => _pods.Count;

    /// <summary>
    /// The cached leading blocks of <paramref name="hashes"/> on <paramref name="pod"/>, or false when the events
    /// say nothing trustworthy about it (no events yet, or resyncing) and the caller should use its estimate.
    /// </summary>
    public bool TryMatch(string pod, ReadOnlySpan<ulong> hashes, out int blocks)
    {
        if (_pods.TryGetValue(pod, out var blocksOf) && blocksOf.IsFresh)
        {
            blocks = blocksOf.MatchPrefix(hashes);
            return true;
        }

        blocks = 0;
        return false;
    }

    /// <summary>
    /// <see cref="TryMatch"/> for every candidate at once: <paramref name="blocks"/>[i] is candidate i's cached
    /// leading blocks, or -1 when its events are not to be trusted (the caller's estimate applies). One clock
    /// read, one lock and one walk of <paramref name="hashes"/> for all candidates. Returns the fresh candidates.
    /// </summary>
    public int MatchAll(ReadOnlySpan<Endpoint> candidates, ReadOnlySpan<ulong> hashes, Span<int> blocks)
    {
        long now = _time.GetUtcNow().UtcTicks;
        Span<int> numbers = candidates.Length <= 256 ? stackalloc int[candidates.Length] : new int[candidates.Length];
        int fresh = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            numbers[i] = _pods.TryGetValue(candidates[i].Name, out var pod) && pod.IsFreshAt(now) ? pod.Number : -1;
            if (numbers[i] >= 0)
            {
                fresh++;
            }
        }

        if (fresh == 0)
        {
            blocks.Fill(-1);
            return 0;
        }

        _holders.MatchPrefixes(hashes, numbers, blocks);
        return fresh;
    }
}
