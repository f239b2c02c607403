namespace AIBrix.Gateway.Core.Routing;

/// <summary>Randomness injected into policies, so tests can make them deterministic.</summary>
public interface IRandomSource
{
    /// <summary>A non-negative integer below <paramref name="maxExclusive"/>.</summary>
    int Next(int maxExclusive);
}

/// <summary>Thread-safe randomness for production (<see cref="System.Random.Shared"/>).</summary>
public sealed class SharedRandomSource : IRandomSource
{
    /// <summary>The single instance.</summary>
    public static SharedRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public int Next(int maxExclusive) => Random.Shared.Next(maxExclusive);
}

/// <summary>Seeded randomness for tests and deterministic benchmarks; thread-safe.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public int Next(int maxExclusive)
    {
        lock (_lock)
        {
            return _random.Next(maxExclusive);
        }
    }
}
