using AIBrix.EngineSim;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.EngineSim;

/// <summary>
/// Virtual-time throughput of <see cref="EngineModel"/>: one replay of <see cref="Requests"/> short requests
/// (256-token prompts, half of them sharing one of 32 system prompts, 64 output tokens, Poisson arrivals at 60 req/s
/// of simulated time). Requests per CPU-second = Requests / mean time (the replay is single-threaded).
/// </summary>
[MemoryDiagnoser]
public class EngineModelBenchmarks
{
    public const int Requests = 10_000;
    private int[][] _prompts = [];
    private double[] _arrivals = [];

    [Params(false, true)]
    public bool TokenEvents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var systemPrompts = Enumerable.Range(0, 32).Select(_ => Enumerable.Range(0, 128).Select(_ => rng.Next(256, 100_000)).ToArray()).ToArray();
        _prompts = new int[Requests][];
        _arrivals = new double[Requests];
        double t = 0;
        for (int i = 0; i < Requests; i++)
        {
            var prompt = new int[256];
            if (rng.Next(2) == 0)
            {
                systemPrompts[rng.Next(systemPrompts.Length)].CopyTo(prompt, 0);
                for (int k = 128; k < 256; k++)
                {
                    prompt[k] = rng.Next(256, 100_000);
                }
            }
            else
            {
                for (int k = 0; k < 256; k++)
                {
                    prompt[k] = rng.Next(256, 100_000);
                }
            }

            _prompts[i] = prompt;
            t += -Math.Log(1 - rng.NextDouble()) / 60.0;
            _arrivals[i] = t;
        }
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public long ReplayShortRequests()
    {
        var model = new EngineModel(new EngineConfig { EmitTokenEvents = TokenEvents });
        var events = new List<EngineEvent>(1024);
        long finished = 0;
        for (int i = 0; i < Requests; i++)
        {
            model.Submit(new EngineRequest { PromptTokens = _prompts[i], OutputTokens = 64 }, _arrivals[i]);
            finished += Drain(model, events);
        }

        while (!double.IsPositiveInfinity(model.NextEventTime))
        {
            model.AdvanceTo(model.NextEventTime);
            finished += Drain(model, events);
        }

        return finished;
    }

    private static int Drain(EngineModel model, List<EngineEvent> events)
    {
        events.Clear();
        model.DrainEvents(events);
        int finished = 0;
        foreach (var e in events)
        {
            if (e.Kind == EngineEventKind.Finished)
            {
                finished++;
            }
        }

        return finished;
    }
}
