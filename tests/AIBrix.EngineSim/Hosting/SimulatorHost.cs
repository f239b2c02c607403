namespace AIBrix.EngineSim;

/// <summary>
/// N independent simulated engines in this process, each with its own HTTP port.
/// <code>
/// await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 4, Port = 0, TimeScale = 50 });
/// var client = new HttpClient { BaseAddress = sim.Instances[0].BaseAddress };
/// </code>
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private SimulatorHost(SimulatorOptions options, IReadOnlyList<SimulatorInstance> instances)
    {
        Options = options;
        Instances = instances;
    }

    /// <summary>The options it was started with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The running instances, on ports Port..Port+N-1 (or free ports when Port is 0).</summary>
    public IReadOnlyList<SimulatorInstance> Instances { get; }

    /// <summary>Validates the options and starts every instance; on failure, the ones already started are stopped.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var started = new List<SimulatorInstance>(options.Instances);
        try
        {
            for (int i = 0; i < options.Instances; i++)
            {
                int port = options.Port == 0 ? 0 : options.Port + i;
                started.Add(await SimulatorInstance.StartAsync(options, i, port, cancellationToken));
            }
        }
        catch
        {
            foreach (var instance in started)
            {
                await instance.DisposeAsync();
            }

            throw;
        }

        return new SimulatorHost(options, started);
    }

    /// <summary>Stops every instance.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Instances.Select(i => i.DisposeAsync().AsTask()));
    }
}
