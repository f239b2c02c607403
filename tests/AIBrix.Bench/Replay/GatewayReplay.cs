using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Replays a trace against a running gateway over real HTTP: each request is sent at its trace time (divided
/// by the time scale) as a streaming chat completion with the policy in <c>routing-strategy</c>, and timed on
/// the client (TTFT = first content chunk, end-to-end = the stream's end). Cache hits come from the
/// <c>usage.prompt_tokens_details.cached_tokens</c> the engines report; the pod from the <c>target-pod</c> header.
/// </summary>
public static class GatewayReplay
{
    /// <summary>Runs the trace; latency counts from the scheduled send time, so a slow client shows as latency.</summary>
    public static async Task<ReplayResult> RunAsync(ReplayOptions options, IReadOnlyList<TraceRequest> trace, Uri gateway, CancellationToken cancellationToken)
    {
        var result = new ReplayResult { Options = options, Mode = "gateway", PodRequests = new int[options.Pods] };
        var pods = new Dictionary<string, int>(StringComparer.Ordinal);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromMinutes(10),
        };
        var sync = new Lock();
        var tasks = new List<Task>(trace.Count);
        long origin = Stopwatch.GetTimestamp();
        double first = trace.Count > 0 ? trace[0].ArrivalSeconds : 0;
        foreach (var request in trace)
        {
            double due = (request.ArrivalSeconds - first) / options.TimeScale;
            var wait = TimeSpan.FromSeconds(due) - Stopwatch.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            byte[] body = ReplayRouter.ChatBody(options.Model, SyntheticPrompt.Text(request), request.OutputTokens);
            long start = origin + (long)(due * Stopwatch.Frequency);
            tasks.Add(Task.Run(async () =>
            {
                var sample = await SendAsync(http, options.Policy, body, start, cancellationToken);
                lock (sync)
                {
                    Record(result, pods, sample, request.OutputTokens);
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks);
        result.DurationSeconds = Stopwatch.GetElapsedTime(origin).TotalSeconds;
        return result;
    }

    private readonly record struct Sample(bool Ok, double TtftMs, double E2eMs, string? Pod, int PromptTokens, int CachedTokens, int OutputTokens, string? Error = null, bool TooLong = false);

    private static void Record(ReplayResult result, Dictionary<string, int> pods, Sample sample, int outputTokens)
    {
        if (sample.TooLong)
        {
            result.Rejected++;
            return;
        }

        if (!sample.Ok)
        {
            result.Errors++;
            result.FirstError ??= sample.Error;
            return;
        }

        result.TtftMs.Add(sample.TtftMs);
        result.E2eMs.Add(sample.E2eMs);
        int output = sample.OutputTokens > 0 ? sample.OutputTokens : outputTokens;
        if (output > 1)
        {
            result.TpotMs.Add((sample.E2eMs - sample.TtftMs) / (output - 1));
        }

        result.OutputTokens += output;
        result.PrefixQueryTokens += sample.PromptTokens;
        result.PrefixHitTokens += sample.CachedTokens;
        if (sample.Pod is { } pod)
        {
            if (!pods.TryGetValue(pod, out int index) && pods.Count < result.PodRequests.Length)
            {
                pods[pod] = index = pods.Count;
            }

            if (pods.ContainsKey(pod))
            {
                result.PodRequests[index]++;
            }
        }
    }

    private static async Task<Sample> SendAsync(HttpClient http, string policy, byte[] body, long start, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("routing-strategy", policy);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            string? pod = response.Headers.TryGetValues("target-pod", out var values) ? values.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                string text = await response.Content.ReadAsStringAsync(cancellationToken);
                double failedAfter = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                // The engine's refusal of a request longer than its context is part of the trace, not a failure.
                bool tooLong = response.StatusCode == System.Net.HttpStatusCode.BadRequest
                    && text.Contains("maximum context length", StringComparison.Ordinal);
                return new Sample(false, failedAfter, failedAfter, pod, 0, 0, 0, $"HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}", tooLong);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
            double ttft = 0;
            string? usageLine = null;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
                {
                    continue;
                }

                if (ttft == 0 && line.Contains("\"content\"", StringComparison.Ordinal))
                {
                    ttft = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                if (line.Contains("\"usage\":{", StringComparison.Ordinal))
                {
                    usageLine = line;
                }
            }

            double e2e = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var (prompt, cached, output) = ParseUsage(usageLine);
            return new Sample(response.IsSuccessStatusCode, ttft == 0 ? e2e : ttft, e2e, pod, prompt, cached, output);
        }
        catch (HttpRequestException e)
        {
            return new Sample(false, 0, 0, null, 0, 0, 0, e.Message);
        }
    }

    private static (int Prompt, int Cached, int Output) ParseUsage(string? line)
    {
        if (line is null)
        {
            return (0, 0, 0);
        }

        using var doc = System.Text.Json.JsonDocument.Parse(line.AsMemory(6));
        if (!doc.RootElement.TryGetProperty("usage", out var usage) || usage.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return (0, 0, 0);
        }

        int prompt = usage.TryGetProperty("prompt_tokens", out var p) ? p.GetInt32() : 0;
        int output = usage.TryGetProperty("completion_tokens", out var c) ? c.GetInt32() : 0;
        int cached = usage.TryGetProperty("prompt_tokens_details", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.Object
            && d.TryGetProperty("cached_tokens", out var ct) ? ct.GetInt32() : 0;
        return (prompt, cached, output);
    }
}
