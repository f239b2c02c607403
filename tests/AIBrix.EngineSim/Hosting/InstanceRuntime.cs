namespace AIBrix.EngineSim;

/// <summary>Everything one instance's HTTP handlers share.</summary>
internal sealed class InstanceRuntime(SimulatorOptions options, int index, EngineDriver driver)
{
    private readonly Lock _randomGate = new();
    private readonly Random _faultRandom = new(unchecked((int)options.Seed * 31 + index));
    private long _nextResponseId;
    private volatile FaultSettings _faults = FaultSettings.None;

    public SimulatorOptions Options { get; } = options;
    public int Index { get; } = index;
    public EngineDriver Driver { get; } = driver;
    public LoraRegistry Lora { get; } = new(options.MaxLoras, options.LoraLoadTime / options.TimeScale);
    public long StartedUnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public FaultSettings Faults
    {
        get => _faults;
        set => _faults = value;
    }

    public string NewResponseId(string prefix) =>
        $"{prefix}sim{Index}-{Interlocked.Increment(ref _nextResponseId):x8}";

    public bool RollError(double rate)
    {
        lock (_randomGate)
        {
            return _faultRandom.NextDouble() < rate;
        }
    }
}
