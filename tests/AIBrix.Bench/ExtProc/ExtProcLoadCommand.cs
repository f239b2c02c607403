using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AIBrix.Cli;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Net.Client;

namespace AIBrix.Bench.ExtProc;

/// <summary>
/// <c>aibrix-bench extproc-load</c>: drives the four ext_proc phases over real gRPC as Envoy would
/// (headers, buffered body, response headers, response body with usage, half-close), at a fixed
/// concurrency, and reports throughput, latency percentiles per request and the gateway's memory.
/// </summary>
public static class ExtProcLoadCommand
{
    /// <summary>The <c>extproc-load</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var defaults = new LoadOptions();
        var target = new Option<string>("--target") { HelpName = "HOST:PORT", Description = "the gateway's ext_proc gRPC address", DefaultValueFactory = _ => defaults.Target };
        var model = new Option<string>("--model") { HelpName = "NAME", Description = "model name in the requests (one the gateway serves)", Required = true };
        var concurrency = CliOptions.Int("--concurrency", defaults.Concurrency, "closed loop: workers sending back to back; open loop: the cap on requests in flight", min: 1);
        var requests = CliOptions.Int("--requests", defaults.Requests, "requests measured", min: 1);
        var warmup = CliOptions.Int("--warmup", defaults.Warmup, "requests before measuring", min: 0);
        var gatewayPid = new Option<int?>("--gateway-pid")
        {
            HelpName = "PID",
            Description = "also report the gateway's RSS and CPU time per request (from /proc)",
            CustomParser = r => int.TryParse(r.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : Fail(r, "is not a process id"),
        };
        var promptBytes = CliOptions.Int("--prompt-bytes", defaults.PromptBytes, "size of the user message", min: 1, helpName: "BYTES");
        var strategy = new Option<string?>("--strategy") { HelpName = "NAME", Description = "routing-strategy header to send [default: none, the gateway's default]" };
        var rate = CliOptions.Int("--rate", 0, "open loop: requests start R times per second (latency counts from the scheduled start, service_* from the actual send); 0: closed loop", min: 0, helpName: "R");
        var gatewayMetrics = new Option<string?>("--gateway-metrics") { HelpName = "URL", Description = "also report the gateway's own per-phase answer latency (its /metrics)" };
        var command = new Command("extproc-load", "drive a running gateway's ext_proc over gRPC as Envoy does (headers, buffered body, response headers, response body, half-close)")
        {
            target, model, concurrency, requests, warmup, gatewayPid, promptBytes, strategy, rate, gatewayMetrics,
        };
        command.SetAction(result => RunAsync(new LoadOptions
        {
            Target = result.GetValue(target)!,
            Model = result.GetValue(model)!,
            Concurrency = result.GetValue(concurrency),
            Requests = result.GetValue(requests),
            Warmup = result.GetValue(warmup),
            GatewayPid = result.GetValue(gatewayPid),
            PromptBytes = result.GetValue(promptBytes),
            Strategy = result.GetValue(strategy),
            Rate = result.GetValue(rate),
            GatewayMetrics = result.GetValue(gatewayMetrics),
        }));
        return command;
    }

    private static int? Fail(System.CommandLine.Parsing.ArgumentResult result, string problem)
    {
        result.AddError($"--gateway-pid: '{result.Tokens[0].Value}' {problem}");
        return null;
    }

    private static async Task<int> RunAsync(LoadOptions options)
    {
        using var channel = GrpcChannel.ForAddress($"http://{options.Target}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        var client = new ExternalProcessor.ExternalProcessorClient(channel);
        var messages = new RequestMessages(options);

        Console.Error.WriteLine($"warmup: {options.Warmup} requests at concurrency {options.Concurrency}");
        await RunPhaseAsync(client, messages, options.Concurrency, options.Warmup, null, null);

        using var http = new HttpClient();
        var serverBefore = options.GatewayMetrics is null ? null : await ServerSideLatency.ScrapeAsync(http, options.GatewayMetrics);
        long rssBefore = Rss(options.GatewayPid);
        double cpuBefore = CpuSeconds(options.GatewayPid);
        var latencies = new double[options.Requests];
        var service = new double[options.Requests];
        Console.Error.WriteLine($"measure: {options.Requests} requests at concurrency {options.Concurrency}" + (options.Rate > 0 ? $", {options.Rate}/s" : ""));
        var wall = Stopwatch.StartNew();
        var (failures, routed) = await RunPhaseAsync(client, messages, options.Concurrency, options.Requests, latencies, service, options.Rate);
        wall.Stop();
        long rssAfter = Rss(options.GatewayPid);
        double cpuPerRequestUs = (CpuSeconds(options.GatewayPid) - cpuBefore) / options.Requests * 1e6;
        string server = serverBefore is null ? "null" : ServerSideLatency.Describe(serverBefore, await ServerSideLatency.ScrapeAsync(http, options.GatewayMetrics!));

        Array.Sort(latencies);
        Array.Sort(service);
        double rps = options.Requests / wall.Elapsed.TotalSeconds;
        var result = new StringBuilder();
        result.Append(CultureInfo.InvariantCulture, $"{{\"requests\":{options.Requests},\"concurrency\":{options.Concurrency},\"failures\":{failures},\"routed\":{routed},");
        result.Append(CultureInfo.InvariantCulture, $"\"seconds\":{wall.Elapsed.TotalSeconds:F2},\"requests_per_second\":{rps:F0},");
        result.Append(CultureInfo.InvariantCulture, $"\"p50_ms\":{Stats.Percentile(latencies, 0.50):F3},\"p90_ms\":{Stats.Percentile(latencies, 0.90):F3},\"p99_ms\":{Stats.Percentile(latencies, 0.99):F3},\"max_ms\":{latencies[^1]:F3},");
        result.Append(CultureInfo.InvariantCulture, $"\"service_p50_ms\":{Stats.Percentile(service, 0.50):F3},\"service_p90_ms\":{Stats.Percentile(service, 0.90):F3},\"service_p99_ms\":{Stats.Percentile(service, 0.99):F3},");
        result.Append(CultureInfo.InvariantCulture, $"\"gateway_rss_mb_before\":{rssBefore / 1048576.0:F1},\"gateway_rss_mb_after\":{rssAfter / 1048576.0:F1},");
        result.Append(CultureInfo.InvariantCulture, $"\"gateway_cpu_us_per_request\":{(options.GatewayPid is null ? 0 : cpuPerRequestUs):F1},\"rate\":{options.Rate},\"gateway_side\":{server}}}");
        Console.WriteLine(result.ToString());
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(int Failures, int Routed)> RunPhaseAsync(
        ExternalProcessor.ExternalProcessorClient client, RequestMessages messages, int concurrency, int total, double[]? latencies, double[]? service, double rate = 0)
    {
        int next = -1, failures = 0, routed = 0;
        long origin = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                long start = Stopwatch.GetTimestamp();
                if (rate > 0)
                {
                    // Open loop: request i is due at i/rate; latency counts from then, not from when a worker got free.
                    long due = origin + (long)(i / rate * Stopwatch.Frequency);
                    long wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    }

                    start = due;
                }

                long sent = Stopwatch.GetTimestamp();
                try
                {
                    if (await OneRequestAsync(client, messages))
                    {
                        Interlocked.Increment(ref routed);
                    }
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"request failed: {e.GetType().Name}: {e.Message}");
                    }
                }

                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                if (service is not null)
                {
                    // From the moment this request was actually sent: without the open loop's wait for a late
                    // timer (Task.Delay wakes up to about a millisecond late) or for a free worker.
                    service[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (failures, routed);
    }

    /// <summary>One request's four phases, as Envoy sends them with AIBrix's processing mode.</summary>
    private static async Task<bool> OneRequestAsync(ExternalProcessor.ExternalProcessorClient client, RequestMessages m)
    {
        using var call = client.Process();
        var responses = call.ResponseStream;
        await call.RequestStream.WriteAsync(m.Headers);
        if (!await responses.MoveNext(CancellationToken.None))
        {
            throw new InvalidOperationException("no answer to request headers");
        }

        await call.RequestStream.WriteAsync(m.Body);
        if (!await responses.MoveNext(CancellationToken.None))
        {
            throw new InvalidOperationException("no answer to request body");
        }

        var routedAnswer = responses.Current;
        if (routedAnswer.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
        {
            throw new InvalidOperationException($"refused: {routedAnswer.ImmediateResponse.Status.Code} {routedAnswer.ImmediateResponse.Body.ToStringUtf8()}");
        }

        bool hasTarget = routedAnswer.RequestBody.Response.HeaderMutation.SetHeaders.Any(h => h.Header.Key == "target-pod");
        await call.RequestStream.WriteAsync(m.ResponseHeaders);
        if (!await responses.MoveNext(CancellationToken.None))
        {
            throw new InvalidOperationException("no answer to response headers");
        }

        await call.RequestStream.WriteAsync(m.ResponseBody);
        if (!await responses.MoveNext(CancellationToken.None))
        {
            throw new InvalidOperationException("no answer to response body");
        }

        await call.RequestStream.CompleteAsync();
        while (await responses.MoveNext(CancellationToken.None))
        {
        }

        return hasTarget;
    }

    /// <summary>User plus system CPU seconds of a process, from /proc/PID/stat (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }

        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: state is field 3, utime 14 and stime 15 (1-based), i.e. indexes 11 and 12 here.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static long Rss(int? pid)
    {
        try
        {
            string status = File.ReadAllText(pid is null ? "/proc/self/status" : $"/proc/{pid}/status");
            var line = status.Split('\n').First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The messages every request reuses (protobuf messages are immutable once sent).</summary>
    private sealed class RequestMessages
    {
        public RequestMessages(LoadOptions options)
        {
            var map = new HeaderMap();
            Add(map, ":method", "POST");
            Add(map, ":path", "/v1/chat/completions");
            Add(map, ":authority", "gateway");
            Add(map, "content-type", "application/json");
            if (options.Strategy is not null)
            {
                Add(map, "routing-strategy", options.Strategy);
            }

            Headers = new ProcessingRequest
            {
                RequestHeaders = new HttpHeaders { Headers = map },
                ProtocolConfig = new ProtocolConfiguration
                {
                    RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered,
                    ResponseBodyMode = ProcessingMode.Types.BodySendMode.Streamed,
                },
            };
            string prompt = new('x', Math.Max(1, options.PromptBytes));
            Body = new ProcessingRequest
            {
                RequestBody = new HttpBody
                {
                    Body = ByteString.CopyFromUtf8($$"""{"model":"{{options.Model}}","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"{{prompt}}"}],"max_tokens":64}"""),
                    EndOfStream = true,
                },
            };
            var responseMap = new HeaderMap();
            Add(responseMap, ":status", "200");
            Add(responseMap, "content-type", "application/json");
            ResponseHeaders = new ProcessingRequest { ResponseHeaders = new HttpHeaders { Headers = responseMap } };
            ResponseBody = new ProcessingRequest
            {
                ResponseBody = new HttpBody
                {
                    Body = ByteString.CopyFromUtf8("""{"id":"cmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":512,"completion_tokens":64,"total_tokens":576}}"""),
                    EndOfStream = true,
                },
            };
        }

        public ProcessingRequest Headers { get; }

        public ProcessingRequest Body { get; }

        public ProcessingRequest ResponseHeaders { get; }

        public ProcessingRequest ResponseBody { get; }

        private static void Add(HeaderMap map, string key, string value) =>
            map.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
    }

    private sealed record LoadOptions
    {
        public string Target { get; init; } = "127.0.0.1:50052";

        public string Model { get; init; } = "";

        public int Concurrency { get; init; } = 32;

        public int Requests { get; init; } = 200_000;

        public int Warmup { get; init; } = 5_000;

        public int? GatewayPid { get; init; }

        public int PromptBytes { get; init; } = 2000;

        public string? Strategy { get; init; }

        public double Rate { get; init; }

        public string? GatewayMetrics { get; init; }
    }
}
