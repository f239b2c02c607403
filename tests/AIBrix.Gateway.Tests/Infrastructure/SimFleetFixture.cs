using AIBrix.EngineSim;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>Three simulated vLLM engines (real HTTP on loopback) and an ext_proc gateway in front of them.</summary>
public sealed class SimFleetFixture : IAsyncLifetime
{
    public const string Model = "llama-sim";

    public SimulatorHost Simulators { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    public IReadOnlyList<string> Addresses => Simulators.Instances.Select(i => $"127.0.0.1:{i.Port}").ToArray();

    public async Task InitializeAsync()
    {
        Simulators = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 3, Port = 0, Model = Model, TimeScale = 50, Seed = 42, OutputLenMean = 16 });
        Gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(Addresses, Model));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Simulators.DisposeAsync();
    }

    public static string Chat(string content = "Say hello", bool stream = false, int maxTokens = 8, string model = Model) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{content}}"}],"max_tokens":{{maxTokens}}{{(stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")}}}""";
}
