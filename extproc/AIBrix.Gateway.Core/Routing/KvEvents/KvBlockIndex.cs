using System.Collections.Concurrent;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// What every pod's engine has cached, from its own KV-cache events (vLLM's <c>BlockStored</c>,
/// <c>BlockRemoved</c>, <c>AllBlocksCleared</c>): precise where the prefix index only guesses from what this
/// gateway sent, and the same in every gateway replica. Pure: the host feeds each pod's <see cref="PodBlocks"/>
/// from its event subscriber (ZeroMQ live, in-process in a virtual replay). Pods that never publish are not
/// <see cref="PodBlocks.IsFresh"/> and keep the estimate.
/// </summary>
public sealed class KvBlockIndex(KvBlockIndexOptions? options = null, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, PodBlocks> _pods = new(StringComparer.Ordinal);
    private readonly KvBlockIndexOptions _options = options ?? new KvBlockIndexOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The pod's blocks, created on first use (by its subscriber).</summary>
    public PodBlocks ForPod(string pod) => _pods.GetOrAdd(pod, static (_, s) => new PodBlocks(s._options, s._time), this);

    /// <summary>Forgets a pod that left the service.</summary>
    public void RemovePod(string pod) => _pods.TryRemove(pod, out _);

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
}
