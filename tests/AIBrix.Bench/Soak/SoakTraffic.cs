using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Bench.Soak;

/// <summary>What a soak request is.</summary>
public enum RequestKind
{
    Chat,
    ChatStream,
    Completion,
    Embedding,

    /// <summary>Hostile: a body that is not JSON (expects 400).</summary>
    Malformed,

    /// <summary>Hostile: a model nobody serves (expects 404).</summary>
    UnknownModel,

    /// <summary>Hostile: an API key nobody issued (expects 401).</summary>
    BadKey,

    /// <summary>Hostile: a body over the gateway's 32 MiB limit (expects 413).</summary>
    HugeBody,

    /// <summary>Hostile: max_tokens above the tight user's whole TPM (expects 413 tokens_exceed_limit).</summary>
    TooManyTokens,

    /// <summary>Hostile: the tight user, sent faster than its RPM (expects 200 or 429).</summary>
    OverLimit,
}

/// <summary>One request's fate. Times are seconds from the start of traffic.</summary>
public readonly record struct SoakRecord(
    string Mode, int Replica, RequestKind Kind, string User, double Start, double End, int Status, string? Error, long Tokens)
{
    /// <summary>Whether the gateway certainly admitted it (a 2xx: limits passed).</summary>
    public bool Admitted => Status is >= 200 and < 300;

    public double LatencyMs => (End - Start) * 1000;
}

/// <summary>
/// Open-loop traffic of one mode: request i starts at i/rate whatever the earlier ones do, alternating the mode's
/// two replicas. A mix of chat, streamed chat, completions and embeddings by four users, plus a share of hostile
/// requests. ext_proc replicas are driven through the Envoy emulator (which forwards to the chosen pod over HTTP),
/// standalone replicas over HTTP.
/// </summary>
internal sealed class SoakTraffic : IDisposable
{
    /// <summary>The huge body: just over the gateway's 32 MiB request limit.</summary>
    private const int HugeBytes = (32 * 1024 * 1024) + 1024;
    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november"];
    private readonly string _mode;
    private readonly double _rate;
    private readonly SoakSettings _settings;
    private readonly IReadOnlyList<SoakUser> _users;
    private readonly bool[] _draining;
    private readonly SoakUser _tight;
    private readonly List<EnvoyEmulator> _envoys = [];
    private readonly List<HttpClient> _clients = [];
    private readonly ConcurrentBag<SoakRecord> _records;
    private readonly SoakClock _clock;
    private readonly Random _random;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private double _lastHuge = double.NegativeInfinity;

    public SoakTraffic(string mode, double rate, SoakSettings settings, SoakFleet fleet, ConcurrentBag<SoakRecord> records, SoakClock clock)
    {
        _mode = mode;
        _rate = rate;
        _settings = settings;
        _users = [.. fleet.Users.Where(u => !u.Tight)];
        _tight = fleet.Users.First(u => u.Tight);
        _draining = fleet.Draining;
        _records = records;
        _clock = clock;
        _random = new Random(settings.Seed * 7919 + (mode == SoakSettings.ExtProcMode ? 1 : 2));
        foreach (var (_, traffic, _) in fleet.Gateways[mode])
        {
            if (mode == SoakSettings.ExtProcMode)
            {
                _envoys.Add(new EnvoyEmulator(traffic));
            }
            else
            {
                _clients.Add(new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
                {
                    BaseAddress = new Uri($"http://127.0.0.1:{traffic}"),
                    Timeout = Timeout.InfiniteTimeSpan,
                });
            }
        }
    }

    /// <summary>
    /// Sends the warm-up's ramp, then the rate until <paramref name="seconds"/> from the start of the measured part;
    /// returns once every request has ended.
    /// </summary>
    public async Task RunAsync(double seconds, CancellationToken cancellationToken)
    {
        for (long i = 0; ; i++)
        {
            double due = WarmupRamp.Due(i, _rate, _settings.WarmupSeconds);
            if (due >= seconds || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            double wait = due - _clock.Elapsed.TotalSeconds;
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), CancellationToken.None);
            }

            var (kind, user) = Pick();
            int replica = (int)(i % 2);
            if (Volatile.Read(ref _draining[replica]))
            {
                replica = 1 - replica; // the load balancer sends around a replica being restarted
            }

            var task = Task.Run(() => OneAsync(kind, user, replica, due), CancellationToken.None);
            _inFlight[task] = 0;
            _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }

        await Task.WhenAll(_inFlight.Keys);
    }

    private (RequestKind, SoakUser) Pick()
    {
        var user = _users[_random.Next(_users.Count)];
        if (_random.NextDouble() < _settings.HostileShare)
        {
            var kind = (RequestKind)((int)RequestKind.Malformed + _random.Next(6));
            if (kind == RequestKind.HugeBody)
            {
                // At most one huge body per 30 s per mode: the point is that it is refused, not to saturate loopback.
                double now = _clock.Elapsed.TotalSeconds;
                if (now - _lastHuge < 30)
                {
                    kind = RequestKind.Malformed;
                }
                else
                {
                    _lastHuge = now;
                }
            }

            return (kind, kind is RequestKind.OverLimit or RequestKind.TooManyTokens ? _tight : user);
        }

        double pick = _random.NextDouble();
        return (pick switch { < 0.4 => RequestKind.Chat, < 0.65 => RequestKind.ChatStream, < 0.85 => RequestKind.Completion, _ => RequestKind.Embedding }, user);
    }

    private string Prompt(Random random)
    {
        var text = new StringBuilder();
        int words = random.Next(20, 150);
        for (int w = 0; w < words; w++)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        return text.ToString();
    }

    /// <summary>The path and body of a request of <paramref name="kind"/>.</summary>
    private (string Path, string Body) Build(RequestKind kind, int seed)
    {
        var random = new Random(seed);
        string prompt = Prompt(random);
        int maxTokens = random.Next(4, 24);
        string model = SoakSettings.Model;
        return kind switch
        {
            RequestKind.ChatStream => ("/v1/chat/completions", Chat(model, prompt, maxTokens, stream: true)),
            RequestKind.Completion => ("/v1/completions", JsonSerializer.Serialize(new { model, prompt, max_tokens = maxTokens })),
            RequestKind.Embedding => ("/v1/embeddings", JsonSerializer.Serialize(new { model, input = prompt })),
            RequestKind.Malformed => ("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt),
            RequestKind.UnknownModel => ("/v1/chat/completions", Chat("no-such-model", prompt, maxTokens, stream: false)),
            RequestKind.HugeBody => ("/v1/chat/completions", Chat(model, new string('x', HugeBytes), maxTokens, stream: false)),
            RequestKind.TooManyTokens => ("/v1/chat/completions", Chat(model, prompt, SoakFleet.TightTpm * 2, stream: false)),
            _ => ("/v1/chat/completions", Chat(model, prompt, maxTokens, stream: false)),
        };
    }

    private static string Chat(string model, string prompt, int maxTokens, bool stream) => stream
        ? JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = prompt } }, max_tokens = maxTokens, stream = true, stream_options = new { include_usage = true } })
        : JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = prompt } }, max_tokens = maxTokens });

    private async Task OneAsync(RequestKind kind, SoakUser user, int replica, double due)
    {
        int seed;
        lock (_random)
        {
            seed = _random.Next();
        }

        var (path, body) = Build(kind, seed);
        string key = kind == RequestKind.BadKey ? "sk-soak-not-a-key-" + seed : user.Key;
        int status = 0;
        string? error = null;
        long tokens = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(SoakSettings.RequestTimeoutSeconds));
        try
        {
            byte[] answer;
            if (_mode == SoakSettings.ExtProcMode)
            {
                var exchange = await _envoys[replica].SendAsync(path, body, headers: [new("authorization", "Bearer " + key)], cancellationToken: timeout.Token);
                if (exchange.Immediate is { } immediate)
                {
                    status = (int)immediate.Status.Code;
                    answer = immediate.Body.ToByteArray();
                }
                else if (exchange.TargetPod is null)
                {
                    status = 0;
                    error = "not routed";
                    answer = [];
                }
                else
                {
                    status = exchange.UpstreamStatus;
                    answer = exchange.ResponseBody;
                }
            }
            else
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await _clients[replica].SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                status = (int)response.StatusCode;
                answer = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            }

            if (status is >= 200 and < 300)
            {
                tokens = TotalTokens(answer);
                if (tokens < 0)
                {
                    error = "no usage in the answer";
                    status = 0;
                    tokens = 0;
                }
            }
            else if (status >= 400)
            {
                error = ErrorCode(answer);
            }
        }
        catch (OperationCanceledException)
        {
            error = "timeout";
        }
        catch (Exception e)
        {
            error = e is Grpc.Core.RpcException rpc ? $"grpc {rpc.StatusCode}" : e.GetType().Name;
        }

        _records.Add(new SoakRecord(_mode, replica, kind, user.Name, due, _clock.Elapsed.TotalSeconds, status, error, tokens));
    }

    /// <summary><c>usage.total_tokens</c> of a JSON body or of the last SSE event that has it; -1 when absent.</summary>
    internal static long TotalTokens(byte[] body)
    {
        long found = -1;
        string text = Encoding.UTF8.GetString(body);
        var candidates = text.StartsWith("data:", StringComparison.Ordinal) || text.Contains("\ndata:", StringComparison.Ordinal)
            ? text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).Where(l => l.StartsWith('{'))
            : [text];
        foreach (string json in candidates)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("usage", out var usage)
                    && usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("total_tokens", out var total))
                {
                    found = total.GetInt64();
                }
            }
            catch (JsonException)
            {
                return -1;
            }
        }

        return found;
    }

    private static string? ErrorCode(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var code) ? code.ToString() : null;
        }
        catch (JsonException)
        {
            return "not json";
        }
    }

    public void Dispose()
    {
        foreach (var envoy in _envoys)
        {
            envoy.Dispose();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
