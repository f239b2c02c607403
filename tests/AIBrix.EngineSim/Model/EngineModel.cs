using AIBrix.KvEvents;

namespace AIBrix.EngineSim;

/// <summary>
/// A discrete-event model of one vLLM-like engine: paged KV cache with prefix caching and LRU eviction, continuous
/// batching under <see cref="EngineConfig.MaxNumSeqs"/> and a per-step token budget (chunked prefill), and
/// preemption by recompute when blocks run out. Time is whatever clock the caller advances (seconds).
/// </summary>
/// <remarks>
/// Use: <see cref="Submit"/> requests at their arrival time, call <see cref="AdvanceTo"/> (typically to
/// <see cref="NextEventTime"/> or the next arrival), then <see cref="DrainEvents"/>. Not thread-safe: the HTTP host
/// serialises access with a lock (<see cref="SimulatorInstance.ReadEngine{T}"/>).
/// </remarks>
public sealed class EngineModel
{
    private readonly KvBlockPool _pool;
    private readonly List<Sequence> _running = [];
    private readonly SequenceQueue _waiting = new();
    private readonly List<Sequence> _scheduled = [];
    private readonly List<EngineEvent> _events = [];
    private readonly HashSet<ulong> _pendingScratch = [];
    private readonly int _blockSize;
    private IKvEventSink? _kvEventSink;
    private KvEventRecorder? _kvEvents;
    private bool _stepInFlight;
    private double _stepEnd;
    private long _nextId;

    /// <summary>Creates an idle engine at time 0.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public EngineModel(EngineConfig config)
    {
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(config));
        }

        Config = config;
        _blockSize = config.BlockSize;
        _pool = new KvBlockPool(config.NumGpuBlocks);
    }

    /// <summary>The configuration.</summary>
    public EngineConfig Config { get; }

    /// <summary>Counters and histograms.</summary>
    public EngineCounters Counters { get; } = new();

    /// <summary>The time the model has been advanced to.</summary>
    public double Now { get; private set; }

    /// <summary>End of the step in flight, or +∞ when the engine is idle.</summary>
    public double NextEventTime => _stepInFlight ? _stepEnd : double.PositiveInfinity;

    /// <summary>Requests in the running batch.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Requests queued (new or preempted).</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>Fraction of blocks in use, as vLLM's kv_cache_usage_perc (cached but free blocks count as free).</summary>
    public double KvCacheUsage => 1.0 - (double)_pool.FreeCount / _pool.Capacity;

    /// <summary>Blocks neither in use nor reserved.</summary>
    public int FreeBlocks => _pool.FreeCount;

    /// <summary>Full blocks whose content is reusable by hash.</summary>
    public int CachedBlockCount => _pool.CachedCount;

    /// <summary>Cached blocks dropped to make room.</summary>
    public long Evictions => _pool.Evictions;

    /// <summary>
    /// Where the prefix cache's changes go, one <see cref="KvEventBatch"/> per step that changed it (vLLM's KV event
    /// stream): <see cref="BlockStored"/> when a prompt block fills and becomes reusable, <see cref="BlockRemoved"/>
    /// when a cached block is evicted, <see cref="AllBlocksCleared"/> on <see cref="ResetPrefixCache"/>. Batches
    /// carry the model's time. Null (the default) records nothing and costs nothing.
    /// </summary>
    public IKvEventSink? KvEvents
    {
        get => _kvEventSink;
        set
        {
            _kvEventSink = value;
            _kvEvents = value is null ? null : new KvEventRecorder(value, _blockSize);
            _pool.Events = _kvEvents;
        }
    }

    /// <summary>Events produced and not yet drained.</summary>
    public int PendingEventCount => _events.Count;

    /// <summary>Copies the load and cache figures.</summary>
    public EngineSnapshot Snapshot() => new(Now, RunningCount, WaitingCount, KvCacheUsage, FreeBlocks, CachedBlockCount,
        Counters.PrefixCacheQueries, Counters.PrefixCacheHits, Counters.Preemptions, Evictions, Counters.PromptTokens, Counters.GenerationTokens);

    /// <summary>Whether a block with this chained hash (see <see cref="PrefixHasher"/>) is in the cache now.</summary>
    public bool IsBlockCached(ulong blockHash) => _pool.IsCached(blockHash);

    /// <summary>
    /// Prompt tokens still to prefill: the running sequences' uncomputed prompt plus the waiting ones' whole
    /// prompts (their cache hits are not known until admission). What an oracle router weighs as queued work.
    /// </summary>
    public long PendingPrefillTokens()
    {
        long total = 0;
        foreach (var s in _running)
        {
            total += Math.Max(0, s.PromptLength - s.NumComputed);
        }

        for (int i = 0; i < _waiting.Count; i++)
        {
            var s = _waiting[i];
            if (!s.Aborted)
            {
                total += Math.Max(0, s.PromptLength - s.NumComputed);
            }
        }

        return total;
    }

    /// <summary>
    /// Prompt tokens still to prefill net of what will be cached when they run: the running sequences' uncomputed
    /// prompt plus, for each waiting one, its prompt past the longest prefix that is cached now or that a sequence
    /// ahead of it will compute first (a shared prefix is prefilled once), at least its last token (which vLLM
    /// always recomputes). What the simulator exports as <c>aibrix:pending_prefill_tokens</c>: a load signal
    /// neither vLLM nor SGLang exports (they count queued requests, not their tokens).
    /// </summary>
    public long PendingUncachedPrefillTokens()
    {
        var ahead = _pendingScratch;
        ahead.Clear();
        long total = 0;
        foreach (var s in _running)
        {
            if (s.NumComputed < s.PromptLength)
            {
                total += s.PromptLength - s.NumComputed;
                ahead.UnionWith(s.BlockHashes);
            }
        }

        for (int i = 0; i < _waiting.Count; i++)
        {
            var s = _waiting[i];
            if (s.Aborted)
            {
                continue;
            }

            var hashes = s.BlockHashes;
            int cached = 0;
            while (cached < hashes.Length && (ahead.Contains(hashes[cached]) || _pool.IsCached(hashes[cached])))
            {
                cached++;
            }

            int done = Math.Max(s.NumComputed, Math.Min(cached * _blockSize, s.PromptLength - 1));
            total += Math.Max(0, s.PromptLength - done);
            for (int b = cached; b < hashes.Length; b++)
            {
                ahead.Add(hashes[b]);
            }
        }

        ahead.Clear();
        return total;
    }

    /// <summary>Copies the hashes of all cached blocks (for an oracle router).</summary>
    public void CopyCachedBlockHashes(ICollection<ulong> destination)
    {
        foreach (ulong hash in _pool.CachedHashes)
        {
            destination.Add(hash);
        }
    }

    /// <summary>Distinct adapters of running requests.</summary>
    public IReadOnlyList<string> RunningAdapters() =>
        _running.Select(s => s.Request.LoraAdapter).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Distinct adapters of waiting requests.</summary>
    public IReadOnlyList<string> WaitingAdapters()
    {
        var names = new List<string>();
        for (int i = 0; i < _waiting.Count; i++)
        {
            if (_waiting[i].Request.LoraAdapter is { } name && !_waiting[i].Aborted && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Queues <paramref name="request"/> arriving at <paramref name="now"/> (advancing the model there first).</summary>
    /// <returns>The id assigned to the request.</returns>
    /// <exception cref="ArgumentException">
    /// Empty prompt, no output, already submitted, or longer than the context (use <see cref="TrySubmit"/> to get
    /// vLLM's refusal as a value instead).
    /// </exception>
    public long Submit(EngineRequest request, double now)
    {
        if (!TrySubmit(request, now, out var refusal))
        {
            throw new ArgumentException(refusal!.Message, nameof(request));
        }

        return request.Id;
    }

    /// <summary>
    /// Queues <paramref name="request"/> like <see cref="Submit"/>, or refuses it as vLLM does when prompt plus
    /// output exceed <see cref="EngineConfig.EffectiveMaxModelLen"/>: then the model is untouched (not even
    /// advanced) and <paramref name="refusal"/> holds the 400.
    /// </summary>
    /// <exception cref="ArgumentException">Empty prompt, no output, or already submitted.</exception>
    public bool TrySubmit(EngineRequest request, double now, out ContextLengthError? refusal)
    {
        if (request.PromptTokens.Length == 0 || request.OutputTokens < 1)
        {
            throw new ArgumentException("a request needs at least one prompt token and one output token", nameof(request));
        }

        if (request.Sequence is not null)
        {
            throw new ArgumentException("request already submitted", nameof(request));
        }

        refusal = Config.CheckContextLength(request.PromptTokens.Length, request.OutputTokens);
        if (refusal is not null)
        {
            return false;
        }

        AdvanceTo(now);
        request.Id = ++_nextId;
        var hashes = Config.EnablePrefixCaching
            ? PrefixHasher.BlockHashes(request.PromptTokens, _blockSize, PrefixHasher.ChainSeed(request.LoraAdapter))
            : [];
        var sequence = new Sequence(request, hashes, Now);
        request.Sequence = sequence;
        _waiting.AddLast(sequence);
        if (!_stepInFlight)
        {
            StartStep(Now);
            _kvEvents?.Flush(Now);
        }

        return true;
    }

    /// <summary>Drops a request (client gone); its blocks are freed at the next step boundary.</summary>
    /// <returns>False when the request had already finished.</returns>
    public bool Abort(EngineRequest request)
    {
        var s = request.Sequence;
        if (s is null || s.Done)
        {
            return false;
        }

        s.Aborted = true;
        s.Done = true;
        Counters.Aborted++;
        if (!_stepInFlight)
        {
            StartStep(Now);
            _kvEvents?.Flush(Now);
        }

        return true;
    }

    /// <summary>
    /// Drops the whole prefix cache, as vLLM's <c>/reset_prefix_cache</c>: only when no request holds blocks.
    /// Publishes <see cref="AllBlocksCleared"/>. Returns false (and changes nothing) while requests run.
    /// </summary>
    public bool ResetPrefixCache()
    {
        if (_running.Count > 0 || !_pool.Reset())
        {
            return false;
        }

        _kvEvents?.Flush(Now);
        return true;
    }

    /// <summary>Runs every step that ends at or before <paramref name="time"/>.</summary>
    public void AdvanceTo(double time)
    {
        while (_stepInFlight && _stepEnd <= time)
        {
            double end = _stepEnd;
            Now = end;
            CompleteStep(end);
            StartStep(end);
            _kvEvents?.Flush(end);
        }

        if (time > Now)
        {
            Now = time;
        }
    }

    /// <summary>Moves pending events, in time order, to <paramref name="destination"/>.</summary>
    /// <returns>How many were moved.</returns>
    public int DrainEvents(List<EngineEvent> destination)
    {
        int count = _events.Count;
        destination.AddRange(_events);
        _events.Clear();
        return count;
    }

    private void StartStep(double t)
    {
        _scheduled.Clear();
        int budget = Config.MaxNumBatchedTokens;
        StepWork work = default;
        bool preempted = false;

        for (int i = 0; i < _running.Count && budget > 0;)
        {
            var s = _running[i];
            if (s.Aborted)
            {
                Free(s);
                _running.RemoveAt(i);
                continue;
            }

            int toCompute = s.TotalTokens - s.NumComputed;
            int n = Math.Min(toCompute, budget);
            bool selfPreempted = false;
            while (!TryReserve(s, s.NumComputed + n))
            {
                // Out of blocks: recompute-preempt the newest running request, as vLLM does.
                var victim = _running[^1];
                _running.RemoveAt(_running.Count - 1);
                Preempt(victim, t);
                preempted = true;
                if (ReferenceEquals(victim, s))
                {
                    selfPreempted = true;
                    break;
                }
            }

            if (selfPreempted)
            {
                break;
            }

            Schedule(s, n, ref budget, ref work, isDecode: toCompute == 1 && s.OutputCount > 0);
            i++;
        }

        // Like vLLM, admit no new request in a step that had to preempt, unless nothing else could run.
        if (!preempted || _scheduled.Count == 0)
        {
            AdmitWaiting(t, ref budget, ref work);
        }

        if (_scheduled.Count == 0)
        {
            _stepInFlight = false;
            return;
        }

        _stepInFlight = true;
        _stepEnd = t + Config.Profile.StepSeconds(work);
        Counters.Steps++;
    }

    private void AdmitWaiting(double t, ref int budget, ref StepWork work)
    {
        while (_waiting.Count > 0 && budget > 0 && _running.Count < Config.MaxNumSeqs)
        {
            var s = _waiting.PeekFirst();
            if (s.Aborted)
            {
                _waiting.RemoveFirst();
                continue;
            }

            // Longest cached prefix, leaving at least one token to compute so the step yields logits.
            int hitBlocks = 0;
            int hitsOnFreeBlocks = 0;
            int maxHits = Math.Min((s.TotalTokens - 1) / _blockSize, s.BlockHashes.Length);
            while (hitBlocks < maxHits)
            {
                int block = _pool.Lookup(s.BlockHashes[hitBlocks]);
                if (block < 0)
                {
                    break;
                }

                if (_pool.IsFree(block))
                {
                    hitsOnFreeBlocks++;
                }

                hitBlocks++;
            }

            int computed = hitBlocks * _blockSize;
            int n = Math.Min(s.TotalTokens - computed, budget);
            int newBlocks = (computed + n + _blockSize - 1) / _blockSize - hitBlocks;
            if (newBlocks > _pool.FreeCount - hitsOnFreeBlocks)
            {
                break;
            }

            for (int k = 0; k < hitBlocks; k++)
            {
                int block = _pool.Lookup(s.BlockHashes[k]);
                _pool.Acquire(block);
                s.AddBlock(block);
            }

            for (int k = 0; k < newBlocks; k++)
            {
                s.AddBlock(_pool.Allocate());
            }

            s.HashedBlocks = hitBlocks;
            s.NumComputed = computed;
            s.Admitted = true;
            _waiting.RemoveFirst();
            _running.Add(s);
            Counters.PrefixCacheQueries += s.TotalTokens;
            Counters.PrefixCacheHits += computed;
            if (s.CachedTokens < 0)
            {
                s.CachedTokens = computed;
                s.FirstScheduled = t;
                Counters.QueueTime.Observe(t - s.Arrival);
            }

            Schedule(s, n, ref budget, ref work, isDecode: false);
        }
    }

    private void Schedule(Sequence s, int n, ref int budget, ref StepWork work, bool isDecode)
    {
        s.Scheduled = n;
        _scheduled.Add(s);
        budget -= n;
        work = work.Plus(n, s.NumComputed, isDecode);
    }

    private void CompleteStep(double t)
    {
        bool anyDone = false;
        foreach (var s in _scheduled)
        {
            if (s.Aborted || !s.Admitted)
            {
                continue;
            }

            s.NumComputed += s.Scheduled;
            int fullBlocks = Math.Min(s.NumComputed / _blockSize, s.BlockHashes.Length);
            int run = -1; // first block of the run of newly cached blocks, for one BlockStored per run
            for (int k = s.HashedBlocks; k < fullBlocks; k++)
            {
                bool stored = _pool.Register(s.Blocks[k], s.BlockHashes[k]);
                if (_kvEvents is null)
                {
                    continue;
                }

                if (stored && run < 0)
                {
                    run = k;
                }
                else if (!stored && run >= 0)
                {
                    _kvEvents.Stored(s, run, k - run);
                    run = -1;
                }
            }

            if (run >= 0)
            {
                _kvEvents!.Stored(s, run, fullBlocks - run);
            }

            if (fullBlocks > s.HashedBlocks)
            {
                s.HashedBlocks = fullBlocks;
            }

            if (s.NumComputed < s.TotalTokens)
            {
                continue;
            }

            s.OutputCount++;
            Counters.GenerationTokens++;
            if (s.OutputCount == 1)
            {
                s.FirstTokenTime = t;
                Counters.PromptTokens += s.PromptLength;
                Counters.TimeToFirstToken.Observe(t - s.Arrival);
                _events.Add(new EngineEvent(s.Request, EngineEventKind.FirstToken, t, 1, s.CachedTokens));
            }
            else
            {
                Counters.InterTokenLatency.Observe(t - s.LastTokenTime);
                if (Config.EmitTokenEvents)
                {
                    _events.Add(new EngineEvent(s.Request, EngineEventKind.Token, t, s.OutputCount, s.CachedTokens));
                }
            }

            s.LastTokenTime = t;
            if (s.OutputCount >= s.Request.OutputTokens)
            {
                Finish(s, t);
                anyDone = true;
            }
        }

        if (anyDone)
        {
            _running.RemoveAll(static s => s.Done && !s.Aborted);
        }
    }

    private void Finish(Sequence s, double t)
    {
        s.Done = true;
        Free(s);
        Counters.EndToEndLatency.Observe(t - s.Arrival);
        if (s.OutputCount > 1)
        {
            Counters.TimePerOutputToken.Observe((t - s.FirstTokenTime) / (s.OutputCount - 1));
        }

        if (s.Request.EndsWithStop)
        {
            Counters.FinishedStop++;
        }
        else
        {
            Counters.FinishedLength++;
        }

        _events.Add(new EngineEvent(s.Request, EngineEventKind.Finished, t, s.OutputCount, s.CachedTokens));
    }

    private bool TryReserve(Sequence s, int tokens)
    {
        int needed = (tokens + _blockSize - 1) / _blockSize - s.BlockCount;
        if (needed <= 0)
        {
            return true;
        }

        if (needed > _pool.FreeCount)
        {
            return false;
        }

        for (int k = 0; k < needed; k++)
        {
            s.AddBlock(_pool.Allocate());
        }

        return true;
    }

    private void Preempt(Sequence s, double t)
    {
        Free(s);
        s.NumComputed = 0;
        s.Admitted = false;
        Counters.Preemptions++;
        _waiting.AddFirst(s);
        _events.Add(new EngineEvent(s.Request, EngineEventKind.Preempted, t, s.OutputCount, s.CachedTokens));
    }

    private void Free(Sequence s)
    {
        // Reverse order: the tail of a prefix is evicted before its head, as in vLLM.
        for (int k = s.BlockCount - 1; k >= 0; k--)
        {
            _pool.Release(s.Blocks[k]);
        }

        s.BlockCount = 0;
        s.HashedBlocks = 0;
    }
}
