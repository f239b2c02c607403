using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AIBrix.Bench.Limits;

namespace AIBrix.Bench.Soak;

/// <summary>A user of the soak: name, API key and the limits the checks hold it to.</summary>
public sealed record SoakUser(string Name, string Key, long Rpm, long Tpm, bool Tight);

/// <summary>One separate process the soak started (an engine pod, a gateway replica, redis-server), restartable on the same ports.</summary>
internal sealed class ManagedProcess(string label, string executable, IReadOnlyList<string> args, string logPath) : IAsyncDisposable
{
    private Process? _process;
    private StreamWriter? _log;

    public string Label { get; } = label;

    /// <summary>The process id, 0 while stopped.</summary>
    public int Pid => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; }

    public void Start()
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0"; // a workstation GC per process: 8 .NET processes share 2 cores here
        _log ??= new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (this)
            {
                _log?.WriteLine(line);
            }
        }
    }

    /// <summary>SIGKILL (<paramref name="kill"/>) or SIGTERM, then waits for the exit.</summary>
    public async Task StopAsync(bool kill)
    {
        if (_process is not { } p)
        {
            return;
        }

        if (!p.HasExited)
        {
            if (kill)
            {
                p.Kill();
            }
            else
            {
                // SIGTERM, as Kubernetes stops a pod: the process shuts down gracefully.
                using var term = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
        }

        p.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true);
        _log?.Dispose();
    }
}

/// <summary>
/// Everything a soak runs, each on loopback: redis-server (append-only file, so a restart keeps users and windows),
/// engine simulator processes (one pod each) and two gateway replicas per mode as separate <c>aibrix-gateway</c>
/// processes sharing one config file and one Redis; users with API keys made through the admin API.
/// </summary>
internal sealed class SoakFleet : IAsyncDisposable
{
    /// <summary>Added to every prompt estimate, so a reservation still held (at least this) never looks like a settled charge.</summary>
    public const int PromptOverheadTokens = 4096;

    /// <summary>RPM of the tight user, whose requests are meant to be refused in part.</summary>
    public const int TightRpm = 30;

    /// <summary>TPM of the tight user.</summary>
    public const int TightTpm = 40_000;

    private const string AdminToken = "soak-admin-token";
    private readonly SoakSettings _settings;
    private readonly string _dir;
    private readonly List<ManagedProcess> _all = [];
    // Setup and fault calls (admin API, health, the simulator's faults): generous, a cold gateway on a loaded machine is slow.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _redisPort;
    private ManagedProcess? _redis;
    private AIBrix.Gateway.Redis.Tests.RedisCluster? _cluster;
    private AIBrix.Gateway.Redis.Tests.RedisServer? _killedPrimary;
    private int _configGeneration;
    // How long each kind of part took to start at setup: a restart on the same machine is given a bound that scales with it.
    private double _engineStartSeconds, _gatewayStartSeconds, _clusterStartSeconds;

    /// <summary>
    /// How long to wait for a part to be ready again after a fault: <see cref="RecoveryFactor"/> times what its first
    /// start took on this machine (a loaded machine is slow at both), at least <paramref name="floorSeconds"/> and at
    /// most <see cref="MaxRecoverySeconds"/>.
    /// </summary>
    public static TimeSpan RecoveryBound(double startSeconds, double floorSeconds) =>
        TimeSpan.FromSeconds(Math.Clamp(RecoveryFactor * startSeconds, floorSeconds, MaxRecoverySeconds));

    public const double RecoveryFactor = 4;

    public const double MaxRecoverySeconds = 300;

    /// <summary>The least time a Redis Cluster is given to be healthy again after a primary was killed and started again.</summary>
    public const double ClusterRecoveryFloorSeconds = 120;

    private SoakFleet(SoakSettings settings, string dir)
    {
        _settings = settings;
        _dir = dir;
    }

    public string Directory => _dir;

    public string RedisAddress { get; private set; } = "";

    public List<(ManagedProcess Process, int Port)> Engines { get; } = [];

    /// <summary>Gateway replicas per mode: the process, its traffic port (gRPC or HTTP) and its HTTP side port.</summary>
    public Dictionary<string, List<(ManagedProcess Process, int TrafficPort, int HttpPort)>> Gateways { get; } = [];

    public List<SoakUser> Users { get; } = [];

    /// <summary>
    /// Replicas taken out of rotation (indexed by replica), as Kubernetes takes a terminating pod out of its Service:
    /// new requests go to the other replica while this one drains, restarts and gets ready again.
    /// </summary>
    public bool[] Draining { get; } = new bool[2];

    public string ConfigPath => Path.Combine(_dir, "gateway.yaml");

    public static async Task<SoakFleet> StartAsync(SoakSettings settings, string dir, Action<string> say)
    {
        System.IO.Directory.CreateDirectory(dir);
        var fleet = new SoakFleet(settings, dir);
        try
        {
            await fleet.StartPartsAsync(say);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(Action<string> say)
    {
        if (_settings.RedisCluster)
        {
            say("starting a Redis Cluster: three primaries with a replica each");
            var clusterWatch = Stopwatch.StartNew();
            _cluster = await AIBrix.Gateway.Redis.Tests.RedisCluster.StartAsync(3, 1, nodeTimeoutMs: 1000);
            _clusterStartSeconds = clusterWatch.Elapsed.TotalSeconds;
            RedisAddress = _cluster.Address;
        }
        else if (_settings.Redis is { } redis)
        {
            RedisAddress = redis;
        }
        else
        {
            if (!File.Exists(_settings.RedisServer))
            {
                throw new FileNotFoundException($"{_settings.RedisServer} not found (apt-get install redis-server, or pass --redis HOST:PORT)");
            }

            _redisPort = LocalRedis.FreePort();
            string data = Path.Combine(_dir, "redis");
            System.IO.Directory.CreateDirectory(data);
            _redis = Track(new ManagedProcess("redis", _settings.RedisServer,
                ["--port", Port(_redisPort), "--bind", "127.0.0.1", "--dir", data, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"],
                Path.Combine(_dir, "redis.log")));
            await StartRedisAsync();
            RedisAddress = $"127.0.0.1:{_redisPort}";
        }

        say($"redis {RedisAddress}; starting {_settings.Pods} engine pods");
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < _settings.Pods; i++)
        {
            int port = LocalRedis.FreePort();
            var engine = Track(new ManagedProcess($"pod-{i}", Executable("aibrix-enginesim", out var prefix),
                [.. prefix, "--instances", "1", "--port", Port(port), "--model", SoakSettings.Model, "--time-scale", "50", "--seed", Port(_settings.Seed + i)],
                Path.Combine(_dir, $"pod-{i}.log")));
            engine.Start();
            Engines.Add((engine, port));
        }

        foreach (var (_, port) in Engines)
        {
            await WaitHttpAsync($"http://127.0.0.1:{port}/health", SetupTimeout);
        }

        _engineStartSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();

        WriteConfig();
        foreach (string mode in _settings.Modes)
        {
            var replicas = new List<(ManagedProcess, int, int)>();
            for (int r = 0; r < 2; r++)
            {
                int traffic = LocalRedis.FreePort(), side = mode == SoakSettings.ExtProcMode ? LocalRedis.FreePort() : traffic;
                string[] ports = mode == SoakSettings.ExtProcMode ? ["--grpc-port", Port(traffic), "--http-port", Port(side)] : ["--port", Port(traffic)];
                var gateway = Track(new ManagedProcess($"{mode}-{r}", Executable("aibrix-gateway", out var prefix),
                    [.. prefix, mode, "--config", ConfigPath, "--listen", "127.0.0.1", "--admin-token", AdminToken, .. ports],
                    Path.Combine(_dir, $"gateway-{mode}-{r}.log")));
                gateway.Start();
                replicas.Add((gateway, traffic, side));
            }

            Gateways[mode] = replicas;
        }

        foreach (var replicas in Gateways.Values)
        {
            foreach (var (_, _, side) in replicas)
            {
                await WaitHttpAsync($"http://127.0.0.1:{side}/readyz", SetupTimeout);
            }
        }

        _gatewayStartSeconds = watch.Elapsed.TotalSeconds;
        say(string.Create(CultureInfo.InvariantCulture,
            $"gateways ready (engines took {_engineStartSeconds:F1} s to start, gateways {_gatewayStartSeconds:F1} s{(_cluster is null ? "" : $", the cluster {_clusterStartSeconds:F1} s")}); making users and keys"));
        await CreateUsersAsync();
    }

    private ManagedProcess Track(ManagedProcess process)
    {
        _all.Add(process);
        return process;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The apphost next to this assembly, else <c>dotnet NAME.dll</c>.</summary>
    private static string Executable(string name, out string[] prefix)
    {
        string host = Path.Combine(AppContext.BaseDirectory, name);
        if (File.Exists(host))
        {
            prefix = [];
            return host;
        }

        prefix = [Path.Combine(AppContext.BaseDirectory, name + ".dll")];
        return "dotnet";
    }

    private async Task StartRedisAsync()
    {
        _redis!.Start();
        var waited = Stopwatch.StartNew();
        while (!await LocalRedis.PingAsync(_redisPort))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"redis-server did not start on port {_redisPort}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>How long the first start of the engines or the gateways may take.</summary>
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(120);

    private async Task WaitHttpAsync(string url, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"{url} did not answer 2xx within {limit.TotalSeconds:F0} s (logs in {_dir})");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Writes the gateways' config; each generation alternates the default strategy (a reload that changes something).</summary>
    public void WriteConfig()
    {
        var yaml = new StringBuilder("endpoints:\n");
        for (int i = 0; i < Engines.Count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: pod-{i}\n    address: 127.0.0.1:{Engines[i].Port}\n    model: {SoakSettings.Model}\n");
        }

        string strategy = _configGeneration % 2 == 0 ? "least-request" : "power-of-two";
        yaml.Append(CultureInfo.InvariantCulture, $"""
            routing:
              defaultStrategy: {strategy}
            metrics:
              scrapeIntervalMs: 200
            redis: {RedisAddress}
            auth:
              mode: apikey
            limits:
              failureMode: closed
              defaultMaxTokens: 64
              promptOverheadTokens: {PromptOverheadTokens}
            resilience:
              retries: 1

            """);
        string temp = ConfigPath + ".tmp";
        File.WriteAllText(temp, yaml.ToString());
        File.Move(temp, ConfigPath, overwrite: true);
        _configGeneration++;
    }

    private async Task CreateUsersAsync()
    {
        var (_, _, side) = Gateways.Values.First()[0];
        string admin = $"http://127.0.0.1:{side}";
        double perUser = Math.Max(1, _settings.Rate / 4);
        // Normal users: limits well above their traffic (they are checked, and must never refuse it).
        long rpm = (long)Math.Ceiling(perUser * 60 * 3) + 100;
        var specs = new List<(string Name, long Rpm, long Tpm, long ConfiguredRpm, bool Tight)>();
        for (int i = 0; i < 4; i++)
        {
            specs.Add(($"soak-user-{i}", rpm, rpm * 1_000 + (PromptOverheadTokens + 200) * 2_000, rpm, false));
        }

        specs.Add(("soak-tight", TightRpm, TightTpm, TightRpm * (long)Math.Max(1, _settings.TestLimitSkew), true));
        foreach (var (name, userRpm, tpm, configuredRpm, tight) in specs)
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{admin}/v1/users/{name}") { Content = JsonContent.Create(new { rpm = configuredRpm, tpm }) };
            put.Headers.Authorization = new("Bearer", AdminToken);
            using var created = await _http.SendAsync(put);
            created.EnsureSuccessStatusCode();
            using var post = new HttpRequestMessage(HttpMethod.Post, $"{admin}/v1/users/{name}/keys");
            post.Headers.Authorization = new("Bearer", AdminToken);
            using var keyed = await _http.SendAsync(post);
            keyed.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await keyed.Content.ReadAsStringAsync());
            Users.Add(new SoakUser(name, doc.RootElement.GetProperty("key").GetString()!, userRpm, tpm, tight));
        }
    }

    /// <summary>Starts a fault; the reason when it could not be started (the soak goes on and reports it), else null.</summary>
    public Task<string?> TryBeginAsync(FaultEvent fault) => FailureOf(() => BeginAsync(fault), "could not start it");

    /// <summary>Ends a fault and waits for the part within its bound; the reason when it did not recover (the soak goes on and reports it), else null.</summary>
    public Task<string?> TryEndAsync(FaultEvent fault) => FailureOf(() => EndAsync(fault), "did not recover");

    /// <summary>Runs a fault step; what went wrong, prefixed, for the failures a part's start or recovery can give, else null.</summary>
    private static async Task<string?> FailureOf(Func<Task> step, string what)
    {
        try
        {
            await step();
            return null;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            return $"{what}: {e.Message}";
        }
    }

    /// <summary>Starts a fault.</summary>
    private async Task BeginAsync(FaultEvent fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.EngineKill:
                await Engines[fault.Target].Process.StopAsync(kill: true);
                break;
            case FaultKind.EngineHang:
                await SetEngineFaultAsync(fault.Target, """{"hang":true}""");
                break;
            case FaultKind.MetricsDown:
                await SetEngineFaultAsync(fault.Target, """{"metrics_down":true}""");
                break;
            case FaultKind.RedisRestart when _redis is not null:
                await _redis.StopAsync(kill: false);
                break;
            case FaultKind.RedisPrimaryKill when _cluster is not null:
                // The primary of the tight user's slot: its limits must hold across the failover.
                _killedPrimary = await _cluster.PrimaryForAsync($"aibrix:{{u:{Users.First(u => u.Tight).Name}}}:rpm");
                await _killedPrimary.KillAsync();
                break;
            case FaultKind.GatewayRestart:
                Volatile.Write(ref Draining[fault.Target], true);
                await Task.Delay(TimeSpan.FromSeconds(1)); // requests already on their way still reach it
                await Task.WhenAll(Gateways.Values.Select(r => r[fault.Target].Process.StopAsync(kill: false)));
                break;
            case FaultKind.ConfigReload:
                WriteConfig();
                break;
        }
    }

    /// <summary>Ends a fault: the part is started again (or the simulator's fault cleared) and is waited for.</summary>
    private async Task EndAsync(FaultEvent fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.EngineKill:
                Engines[fault.Target].Process.Start();
                await WaitHttpAsync($"http://127.0.0.1:{Engines[fault.Target].Port}/health", RecoveryBound(_engineStartSeconds, 30));
                break;
            case FaultKind.EngineHang or FaultKind.MetricsDown:
                await SetEngineFaultAsync(fault.Target, "{}");
                break;
            case FaultKind.RedisRestart when _redis is not null:
                await StartRedisAsync();
                break;
            case FaultKind.RedisPrimaryKill when _cluster is not null && _killedPrimary is not null:
                // Started again empty (no persistence): it rejoins as the replica of the node promoted in its place.
                await _killedPrimary.StartAgainAsync();
                _killedPrimary = null;
                // A rejoining node resyncs from its new primary, which the cluster's first start did not include: on a
                // loaded machine (load 80-100) that took 74 s and over 76 s, hence a floor of 120 s.
                await _cluster.WaitHealthyAsync(RecoveryBound(_clusterStartSeconds, ClusterRecoveryFloorSeconds));
                break;
            case FaultKind.GatewayRestart:
                foreach (var replicas in Gateways.Values)
                {
                    replicas[fault.Target].Process.Start();
                }

                foreach (var replicas in Gateways.Values)
                {
                    // A replica that never gets ready stays out of rotation (as a pod failing its readiness probe).
                    await WaitHttpAsync($"http://127.0.0.1:{replicas[fault.Target].HttpPort}/readyz", RecoveryBound(_gatewayStartSeconds, 60));
                }

                Volatile.Write(ref Draining[fault.Target], false);

                break;
        }
    }

    private async Task SetEngineFaultAsync(int pod, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"http://127.0.0.1:{Engines[pod].Port}/admin/faults", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every gateway replica, labelled <c>extproc-0</c>..., with its side port.</summary>
    public IEnumerable<(string Label, ManagedProcess Process, int HttpPort)> GatewayReplicas() =>
        Gateways.SelectMany(g => g.Value.Select(r => (r.Process.Label, r.Process, r.HttpPort)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_all))
        {
            await process.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _http.Dispose();
    }
}
