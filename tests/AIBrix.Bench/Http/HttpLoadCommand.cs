using System.CommandLine;
using System.Diagnostics;
using AIBrix.Cli;
using System.Globalization;
using System.Net;
using System.Text;

namespace AIBrix.Bench.Http;

/// <summary>
/// <c>aibrix-bench http-load</c>: OpenAI chat requests over HTTP to a gateway or straight to engines,
/// open loop at a fixed rate (latency counts from the scheduled start) or closed loop, measuring
/// end-to-end latency and time to first token on the client. Run it against the gateway and against
/// the engines behind it to see what the gateway adds.
/// </summary>
public static class HttpLoadCommand
{
    /// <summary>The <c>http-load</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var urls = CliOptions.List("--url", "base URLs (e.g. http://127.0.0.1:8888); several are used round-robin (engines direct)", "URL[,URL...]");
        urls.Required = true;
        var model = new Option<string>("--model") { HelpName = "NAME", Description = "model name in the requests", Required = true };
        var rate = CliOptions.Double("--rate", 200, "open loop: R requests per second; 0: closed loop with --concurrency workers (peak rate)", min: 0, helpName: "R");
        var duration = CliOptions.Double("--duration", 20, "seconds measured", positive: true, helpName: "S");
        var warmup = CliOptions.Double("--warmup", 3, "seconds of load before measuring", min: 0, helpName: "S");
        var concurrency = CliOptions.Int("--concurrency", 256, "closed-loop workers, or the cap on requests in flight in open loop", min: 1);
        var maxTokens = CliOptions.Int("--max-tokens", 16, "max_tokens of each request", min: 1);
        var noStream = new Option<bool>("--no-stream") { Description = "plain JSON responses instead of SSE streams" };
        var command = new Command("http-load", "OpenAI chat load over HTTP to a gateway or straight to engines, open or closed loop")
        {
            urls, model, rate, duration, warmup, concurrency, maxTokens, noStream,
        };
        command.SetAction(result => RunAsync(
            result.GetValue(urls)!, result.GetValue(model)!, result.GetValue(rate), result.GetValue(duration), result.GetValue(warmup),
            result.GetValue(concurrency), result.GetValue(maxTokens), !result.GetValue(noStream)));
        return command;
    }

    private static async Task<int> RunAsync(string[] urls, string model, double rate, double duration, double warmup, int concurrency, int maxTokens, bool stream)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        byte[] body = Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Summarise the benefits of prefix caching in two sentences."}],"max_tokens":{{maxTokens}}{{(stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")}}}""");

        await Console.Error.WriteLineAsync($"warmup {warmup} s");
        await RunAsync(http, urls, body, rate, warmup, concurrency, null);
        var samples = new List<(double E2e, double Ttft, bool Ok)>();
        await Console.Error.WriteLineAsync($"measure {duration} s " + (rate > 0 ? $"at {rate}/s" : $"closed loop x{concurrency}"));
        var wall = Stopwatch.StartNew();
        await RunAsync(http, urls, body, rate, duration, concurrency, samples);
        wall.Stop();

        var ok = samples.Where(s => s.Ok).ToArray();
        var e2e = ok.Select(s => s.E2e).Order().ToArray();
        var ttft = ok.Select(s => s.Ttft).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"requests\":{samples.Count},\"errors\":{samples.Count - ok.Length},\"achieved_rps\":{samples.Count / wall.Elapsed.TotalSeconds:F1}," +
            $"\"e2e_p50_ms\":{Stats.Percentile(e2e, 0.5):F2},\"e2e_p90_ms\":{Stats.Percentile(e2e, 0.9):F2},\"e2e_p99_ms\":{Stats.Percentile(e2e, 0.99):F2}," +
            $"\"ttft_p50_ms\":{Stats.Percentile(ttft, 0.5):F2},\"ttft_p90_ms\":{Stats.Percentile(ttft, 0.9):F2},\"ttft_p99_ms\":{Stats.Percentile(ttft, 0.99):F2}}}"));
        return ok.Length == samples.Count ? 0 : 1;
    }

    private static async Task RunAsync(HttpClient http, string[] urls, byte[] body, double rate, double seconds, int concurrency, List<(double, double, bool)>? samples)
    {
        long origin = Stopwatch.GetTimestamp();
        long end = origin + (long)(seconds * Stopwatch.Frequency);
        int next = -1;
        var gate = new SemaphoreSlim(concurrency);
        var inFlight = new List<Task>();
        if (rate <= 0)
        {
            var workers = Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < end)
                {
                    int i = Interlocked.Increment(ref next);
                    var sample = await OneAsync(http, urls[i % urls.Length], body, Stopwatch.GetTimestamp());
                    Record(samples, sample);
                }
            });
            await Task.WhenAll(workers);
            return;
        }

        for (int i = 0; ; i++)
        {
            long due = origin + (long)(i / rate * Stopwatch.Frequency);
            if (due >= end)
            {
                break;
            }

            long wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            await gate.WaitAsync();
            string url = urls[i % urls.Length];
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    Record(samples, await OneAsync(http, url, body, due));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(inFlight);
    }

    private static void Record(List<(double, double, bool)>? samples, (double, double, bool) sample)
    {
        if (samples is null)
        {
            return;
        }

        lock (samples)
        {
            samples.Add(sample);
        }
    }

    /// <summary>One request; TTFT is the first body bytes after headers (the first SSE chunk).</summary>
    private static async Task<(double E2e, double Ttft, bool Ok)> OneAsync(HttpClient http, string url, byte[] body, long start)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url.TrimEnd('/') + "/v1/chat/completions") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            double ttft = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                if (ttft == 0)
                {
                    ttft = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }

            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, ttft, response.StatusCode == HttpStatusCode.OK);
        }
        catch (HttpRequestException)
        {
            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, false);
        }
    }
}
