namespace AIBrix.EngineSim;

/// <summary>Engine-side state of one request.</summary>
internal sealed class Sequence(EngineRequest request, ulong[] blockHashes, double arrival)
{
    public EngineRequest Request { get; } = request;
    public ulong[] BlockHashes { get; } = blockHashes;
    public double Arrival { get; } = arrival;
    public int[] Blocks = new int[8];
    public int BlockCount;
    public int HashedBlocks;
    public int NumComputed;
    public int OutputCount;
    public int CachedTokens = -1;
    public int Scheduled;
    public double FirstScheduled = -1;
    public double FirstTokenTime;
    public double LastTokenTime;
    public bool Admitted;
    public bool Aborted;
    public bool Done;

    public int PromptLength => Request.PromptTokens.Length;

    /// <summary>Tokens that must be in the KV cache before the next token can be produced.</summary>
    public int TotalTokens => PromptLength + OutputCount;

    public void AddBlock(int block)
    {
        if (BlockCount == Blocks.Length)
        {
            Array.Resize(ref Blocks, Blocks.Length * 2);
        }

        Blocks[BlockCount++] = block;
    }
}

/// <summary>A small ring-buffer deque: FIFO waiting queue where preempted requests go back to the front.</summary>
internal sealed class SequenceQueue
{
    private Sequence[] _items = new Sequence[64];
    private int _head;

    public int Count { get; private set; }

    public Sequence PeekFirst() => _items[_head];

    public Sequence this[int index] => _items[(_head + index) % _items.Length];

    public void AddLast(Sequence s)
    {
        Grow();
        _items[(_head + Count) % _items.Length] = s;
        Count++;
    }

    public void AddFirst(Sequence s)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = s;
        Count++;
    }

    public Sequence RemoveFirst()
    {
        var s = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
        return s;
    }

    private void Grow()
    {
        if (Count < _items.Length)
        {
            return;
        }

        var bigger = new Sequence[_items.Length * 2];
        for (int i = 0; i < Count; i++)
        {
            bigger[i] = this[i];
        }

        _items = bigger;
        _head = 0;
    }
}
