namespace AIBrix.EngineSim;

/// <summary>A loaded (or loading) LoRA adapter.</summary>
/// <param name="Name">Adapter name, as requests name it.</param>
/// <param name="Path">The lora_path it was loaded from.</param>
/// <param name="Created">Unix seconds when loading started.</param>
public sealed record LoraAdapterInfo(string Name, string Path, long Created);

/// <summary>Outcome of a load or unload.</summary>
internal enum LoraChange
{
    Done,
    AlreadyLoaded,
    Full,
    NotFound,
}

/// <summary>vLLM's dynamic LoRA slots: at most max_loras adapters, each taking a load time before it serves.</summary>
internal sealed class LoraRegistry(int maxLoras, TimeSpan loadTime)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (LoraAdapterInfo Info, bool Ready)> _adapters = new(StringComparer.Ordinal);

    public int MaxLoras => maxLoras;

    public async Task<LoraChange> LoadAsync(string name, string path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_adapters.ContainsKey(name))
            {
                return LoraChange.AlreadyLoaded;
            }

            if (_adapters.Count >= maxLoras)
            {
                return LoraChange.Full;
            }

            _adapters[name] = (new LoraAdapterInfo(name, path, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), false);
        }

        try
        {
            if (loadTime > TimeSpan.Zero)
            {
                await Task.Delay(loadTime, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _adapters.Remove(name);
            }

            throw;
        }

        lock (_gate)
        {
            if (_adapters.TryGetValue(name, out var entry))
            {
                _adapters[name] = (entry.Info, true);
            }
        }

        return LoraChange.Done;
    }

    public LoraChange Unload(string name)
    {
        lock (_gate)
        {
            return _adapters.Remove(name) ? LoraChange.Done : LoraChange.NotFound;
        }
    }

    public bool IsReady(string name)
    {
        lock (_gate)
        {
            return _adapters.TryGetValue(name, out var entry) && entry.Ready;
        }
    }

    public IReadOnlyList<LoraAdapterInfo> Ready()
    {
        lock (_gate)
        {
            return _adapters.Values.Where(a => a.Ready).Select(a => a.Info).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        }
    }
}
