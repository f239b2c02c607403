namespace AIBrix.Bench.Autoscaling.ColdStart;

/// <summary>
/// The nodes a model's pods land on, and where each node holds the model's artifacts. It starts with the
/// <c>--min</c> pods' nodes holding the model in memory and some other nodes warm (<c>--warm-nodes</c>: a model that
/// ran there before), the rest without it; a node a pod starts on holds the model in memory from then on (the
/// pod's load fills the page cache, and it stays after the pod goes: the simulation evicts nothing).
/// Placement is the scheduler's: among nodes with a free slot, a random one (the default scheduler's scores tie for
/// an artifact it does not know about); with the cold-start hint, a random one among those holding the model in the
/// best tier, as a preferred node affinity on the controller's node labels makes it.
/// </summary>
public sealed class NodePool
{
    private readonly ArtifactTier[] _tiers;
    private readonly int[] _used;
    private readonly int _slots;
    private readonly bool _hint;
    private readonly Random _random;
    private readonly Dictionary<int, int> _podNode = [];
    private readonly int[] _placed = new int[3];

    /// <summary>Creates the pool; pods <c>0..initialPods-1</c> are already on nodes <c>0..initialPods-1</c>.</summary>
    public NodePool(ColdStartOptions options, int initialPods, int seed)
    {
        _slots = options.SlotsPerNode;
        _hint = options.PlacementHint;
        _random = new Random(seed);
        _tiers = new ArtifactTier[options.Nodes];
        _used = new int[options.Nodes];
        int n = 0;
        for (int pod = 0; pod < initialPods && n < _tiers.Length; pod++, n++)
        {
            _tiers[n] = ArtifactTier.Memory;
            _used[n] = 1;
            _podNode[pod] = n;
        }

        for (int i = 0; i < options.WarmMemory && n < _tiers.Length; i++, n++)
        {
            _tiers[n] = ArtifactTier.Memory;
        }

        for (int i = 0; i < options.WarmDisk && n < _tiers.Length; i++, n++)
        {
            _tiers[n] = ArtifactTier.Disk;
        }
    }

    /// <summary>Pods placed so far, by the tier their node held the model in.</summary>
    public int PlacedOn(ArtifactTier tier) => _placed[(int)tier];

    /// <summary>Places pod <paramref name="pod"/>; the tier its node held the model in (remote when no node has room: it waits as long as a download).</summary>
    public ArtifactTier Place(int pod)
    {
        var free = new List<int>();
        for (int node = 0; node < _tiers.Length; node++)
        {
            if (_used[node] < _slots)
            {
                free.Add(node);
            }
        }

        if (free.Count == 0)
        {
            _placed[(int)ArtifactTier.Remote]++;
            return ArtifactTier.Remote;
        }

        if (_hint)
        {
            var best = free.Max(node => _tiers[node]);
            free.RemoveAll(node => _tiers[node] != best);
        }

        int chosen = free[_random.Next(free.Count)];
        var tier = _tiers[chosen];
        _used[chosen]++;
        _podNode[pod] = chosen;
        _tiers[chosen] = ArtifactTier.Memory;
        _placed[(int)tier]++;
        return tier;
    }

    /// <summary>Pod <paramref name="pod"/> is gone: its slot is free again (the node keeps the model).</summary>
    public void Release(int pod)
    {
        if (_podNode.Remove(pod, out int node))
        {
            _used[node]--;
        }
    }
}
