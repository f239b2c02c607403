using System.CommandLine;
using System.Diagnostics;
using AIBrix.Cli;
using System.Globalization;
using System.Net;
using System.Text;
using AIBrix.EngineSim;

namespace AIBrix.Bench.EngineSim;

/// <summary>
/// <c>aibrix-bench sim-load</c>: closed-loop HTTP load of short completions; worker w always targets instance w mod N, so every
/// instance carries the same number of requests in flight; prints sustained requests/s and latency percentiles. Without --url-base it starts the
/// simulator in this process.
/// </summary>
public static class SimLoadCommand
{
    /// <summary>The <c>sim-load</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var urlBase = CliOptions.Url("--url-base", "first instance (e.g. http://127.0.0.1:8000); instance i listens on port+i [default: host the simulator in this process]");
        var instances = CliOptions.Int("--instances", 8, "simulator instances to load", min: 1);
        var duration = CliOptions.Double("--duration", 10, "seconds measured", positive: true, helpName: "S");
        var concurrency = CliOptions.Int("--concurrency", 64, "closed-loop workers; worker w targets instance w mod N", min: 1);
        var warmup = CliOptions.Double("--warmup", 2, "seconds of load before measuring", min: 0, helpName: "S");
        var maxTokens = CliOptions.Int("--max-tokens", 4, "max_tokens of each completion", min: 1);
        var timeScale = CliOptions.Double("--time-scale", 100, "in-process simulator only: simulated time runs X times faster", positive: true);
        var stream = new Option<bool>("--stream") { Description = "SSE streams instead of plain JSON" };
        var command = new Command("sim-load", "closed-loop HTTP load of short completions against simulator instances")
        {
            urlBase, instances, duration, concurrency, warmup, maxTokens, timeScale, stream,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(urlBase), result.GetValue(instances), result.GetValue(duration), result.GetValue(concurrency), result.GetValue(warmup),
            result.GetValue(maxTokens), result.GetValue(timeScale), result.GetValue(stream), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri? urlBase, int instances, double duration, int concurrency, double warmup, int maxTokens, double timeScale, bool stream, CancellationToken cancellationToken)
    {
        SimulatorHost? host = null;
        Uri[] targets;
        if (urlBase is null)
        {
            host = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = instances, Port = 0, TimeScale = timeScale }, cancellationToken);
            targets = host.Instances.Select(i => i.BaseAddress).ToArray();
        }
        else
        {
            var first = urlBase;
            targets = Enumerable.Range(0, instances).Select(i => new UriBuilder(first) { Port = first.Port + i, Path = "/" }.Uri).ToArray();
        }

        try
        {
            return await LoadAsync(targets, concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(duration), maxTokens, stream);
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<int> LoadAsync(Uri[] targets, int concurrency, TimeSpan warmup, TimeSpan duration, int maxTokens, bool stream)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        string model = "meta-llama/Llama-3.1-8B-Instruct";
        var total = Stopwatch.StartNew();
        var measureFrom = warmup;
        var end = warmup + duration;
        var latencies = new List<double>[concurrency];
        long errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(4096);
            int n = 0;
            while (total.Elapsed < end)
            {
                var target = targets[w % targets.Length];
                string body = $$"""{"model":"{{model}}","prompt":"worker {{w}} request {{n}}: say something short","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}}}""";
                n++;
                var start = total.Elapsed;
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(new Uri(target, "v1/completions"), content);
                    await response.Content.LoadIntoBufferAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                        continue;
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                if (start >= measureFrom && total.Elapsed <= end)
                {
                    mine.Add((total.Elapsed - start).TotalMilliseconds);
                }
            }
        })).ToArray();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.WhenAll(workers);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
        double rps = all.Length / duration.TotalSeconds;
        double P(double q) => Stats.Percentile(all, q); // nearest rank, as every other bench command
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sim-load: {targets.Length} instances, concurrency {concurrency}, max_tokens {maxTokens}, stream {stream}, {duration.TotalSeconds:F0} s measured"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  completed {all.Length}, errors {errors}, throughput {rps:F0} req/s, latency p50 {P(0.5):F1} ms p90 {P(0.9):F1} ms p99 {P(0.99):F1} ms, client CPU {cpu.TotalSeconds:F1} s"));
        return errors > 0 && all.Length == 0 ? 1 : 0;
    }
}
