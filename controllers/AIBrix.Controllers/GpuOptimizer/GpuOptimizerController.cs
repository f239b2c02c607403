using System.Globalization;
using AIBrix.Controllers.Hosting;
using AIBrix.GpuOptimizer;
using AIBrix.GpuOptimizer.Redis;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using AIBrix.RequestTraces;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>
/// AIBrix's GPU optimizer inside the manager: an informer on Deployments labelled <c>model.aibrix.ai/name</c> groups
/// them per model (one Deployment per GPU type, named by its profile's <c>gpu</c>); every <see cref="GpuOptimizerOptions.Interval"/>
/// each model's profiles and its window of request traces are read from Redis and its <see cref="ModelOptimizer"/>
/// decides a count per Deployment, which <see cref="GpuOptimizerEndpoints"/> serves to PodAutoscalers. Read-only towards
/// Kubernetes: the PodAutoscaler does the scaling. It needs no leadership: every replica reads the same Redis and
/// answers the same routes, so a PodAutoscaler may reach any of them.
/// </summary>
public sealed partial class GpuOptimizerController : IManagedController, IDisposable
{
    private readonly List<Informer<V1Deployment>> _informers = [];
    private readonly Dictionary<string, ModelState> _models = new(StringComparer.Ordinal);
    private readonly Lock _gate = new(); // the round and the routes change models one at a time; no await inside
    private readonly RedisProfileStore _profiles;
    private readonly RedisRequestTraceStore _traces;
    private readonly IConnectionMultiplexer _redis;
    private readonly GpuOptimizerOptions _options;
    private readonly ILogger _logger;
    private long _reconciles;
    private long _errors;

    /// <summary>Creates the controller over <paramref name="redis"/> (which it owns); nothing runs until <see cref="RunAsync"/>.</summary>
    public GpuOptimizerController(IKubernetes client, IConnectionMultiplexer redis, GpuOptimizerOptions options, ILoggerFactory loggers, InformerOptions? informerOptions = null)
    {
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        _redis = redis;
        _options = options;
        _profiles = new RedisProfileStore(redis);
        _traces = new RedisRequestTraceStore(redis);
        _logger = loggers.CreateLogger<GpuOptimizerController>();
        informerOptions ??= new InformerOptions { Time = options.Time };
        foreach (var ns in options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n))
        {
            _informers.Add(new Informer<V1Deployment>(ResourceApis.Deployments(client, ns, ModelLabels.Name), informerOptions, loggers.CreateLogger("AIBrix.GpuOptimizer.Deployments")));
        }
    }

    /// <summary>AIBrix's label for a Deployment's least replicas.</summary>
    public const string MinReplicasLabel = "model.aibrix.ai/min_replicas";

    /// <inheritdoc/>
    public string Name => ControllerNames.GpuOptimizer;

    /// <inheritdoc/>
    public bool RequiresLeadership => false;

    /// <inheritdoc/>
    public long Reconciles => Interlocked.Read(ref _reconciles);

    /// <inheritdoc/>
    public long Errors => Interlocked.Read(ref _errors);

    /// <inheritdoc/>
    public int QueueDepth => 0;

    /// <summary>Decision rounds completed (all models decided once).</summary>
    public long Rounds { get; private set; }

    /// <summary>Runs the informer and a decision round every interval until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = _informers.Select(i => i.RunAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(cancellationToken);
            while (true)
            {
                await RoundAsync(cancellationToken);
                await Task.Delay(_options.Interval, _options.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(informers);
    }

    /// <summary>One decision for every model: the Deployments from the cache, profiles (once, then on request) and traces from Redis.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var byModel = _informers.SelectMany(i => i.Items)
            .Where(d => d.Metadata.Labels?.TryGetValue(ModelLabels.Name, out string? m) == true && !string.IsNullOrEmpty(m))
            .GroupBy(d => d.Metadata.Labels[ModelLabels.Name], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(StateOf).ToList(), StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (string gone in _models.Keys.Where(m => !byModel.ContainsKey(m)).ToList())
            {
                _models.Remove(gone);
                Log.ModelGone(_logger, gone);
            }

            foreach (var (model, deployments) in byModel)
            {
                if (!_models.TryGetValue(model, out var state))
                {
                    state = new ModelState(new ModelOptimizer(model, new GpuAllocator(new MelangeSolver(_options.Solver), _options.Hysteresis)));
                    _models[model] = state;
                }

                var keep = deployments.Select(d => ModelOptimizer.KeyOf(d.Namespace, d.Name)).ToHashSet(StringComparer.Ordinal);
                foreach (var old in state.Optimizer.Deployments.Where(d => !keep.Contains(ModelOptimizer.KeyOf(d.Namespace, d.Name))).ToList())
                {
                    state.Optimizer.RemoveDeployment(old.Namespace, old.Name);
                    state.Overrides.Remove(ModelOptimizer.KeyOf(old.Namespace, old.Name));
                }

                deployments.ForEach(state.Optimizer.SetDeployment);
            }
        }

        foreach (string model in byModel.Keys)
        {
            await DecideAsync(model, cancellationToken);
        }

        Rounds++;
    }

    /// <summary>The count to serve for a Deployment and its model; null when it is not a watched model Deployment.</summary>
    public (string Model, int Replicas)? Suggested(string @namespace, string name)
    {
        foreach (var (model, state) in Snapshot())
        {
            if (state.Optimizer.Suggested(@namespace, name) is { } n) // the suggestions are an immutable snapshot
            {
                return (model, n);
            }
        }

        // Known from the cache but not decided yet (the first round runs right after the cache syncs): its own count.
        var deployment = _informers.SelectMany(i => i.Items).FirstOrDefault(d => d.Metadata.NamespaceProperty == @namespace && d.Metadata.Name == name);
        return deployment?.Metadata.Labels?.TryGetValue(ModelLabels.Name, out string? m) == true && !string.IsNullOrEmpty(m) ? (m, deployment.Spec?.Replicas ?? 0) : null;
    }

    /// <summary>Turns load-driven counts on or off for the model of a Deployment (AIBrix's <c>/monitor</c>); null when unknown.</summary>
    public string? SetMonitoring(string @namespace, string name, bool on) =>
        WithModelOf(@namespace, name, state =>
        {
            state.Optimizer.Monitoring = on;
            Redecide(state);
        });

    /// <summary>Pins a Deployment's count, or unpins it with null (AIBrix's <c>/scale</c>); returns its model, null when unknown.</summary>
    public string? Override(string @namespace, string name, int? replicas) =>
        WithModelOf(@namespace, name, state =>
        {
            state.Optimizer.Override(@namespace, name, replicas);
            string key = ModelOptimizer.KeyOf(@namespace, name);
            if (replicas is { } n)
            {
                state.Overrides[key] = n;
            }
            else
            {
                state.Overrides.Remove(key);
            }

            Redecide(state);
        });

    /// <summary>Reads a model's profiles from Redis again (AIBrix's <c>/update_profile</c>); null when the model is not watched.</summary>
    public async Task<ProfileReadResult?> ReloadProfilesAsync(string model, CancellationToken cancellationToken)
    {
        if (!Snapshot().ContainsKey(model))
        {
            return null;
        }

        var read = await _profiles.LoadAsync(model, cancellationToken);
        lock (_gate)
        {
            if (_models.TryGetValue(model, out var state))
            {
                Apply(state, read);
                Redecide(state);
            }
        }

        return read;
    }

    /// <summary>Every model's deployments, suggestions and last reason, sorted by model.</summary>
    public IReadOnlyList<ModelStatus> Status()
    {
        lock (_gate)
        {
            return [.. _models.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value.Status(m.Key))];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _redis.Dispose();
    }

    private static DeploymentState StateOf(V1Deployment d)
    {
        int min = d.Metadata.Labels?.TryGetValue(MinReplicasLabel, out string? text) == true
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : 0;
        return new DeploymentState(d.Metadata.NamespaceProperty ?? "", d.Metadata.Name, d.Spec?.Replicas ?? 0, min);
    }

    private Dictionary<string, ModelState> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, ModelState>(_models, StringComparer.Ordinal);
        }
    }

    private string? WithModelOf(string @namespace, string name, Action<ModelState> change)
    {
        lock (_gate)
        {
            var (model, state) = _models.FirstOrDefault(m => m.Value.Optimizer.Deployments.Any(d => d.Namespace == @namespace && d.Name == name));
            if (state is null)
            {
                return null;
            }

            change(state);
            return model;
        }
    }

    // Routes take effect at once rather than at the next round: the same load, decided again.
    private void Redecide(ModelState state)
    {
        // The window's traces on the profiles' grid; none (or no profiles yet) is "no load known", not "no load".
        state.Load = state.Traces.Count == 0 || state.Grid is null
            ? null
            : LoadHistogram.FromCounts(state.Grid, state.Traces.SelectMany(t => t.Buckets()), _options.Window);
        state.Decision = state.Optimizer.Update(state.Load);
        state.DecidedAt = _options.Time.GetUtcNow();
    }

    private static void Apply(ModelState state, ProfileReadResult read)
    {
        state.Optimizer.SetProfiles(read.Profiles);
        state.Grid = read.Profiles.Count > 0 ? read.Profiles[0].Grid : null;
        state.ProfiledNames = read.Profiles.Select(p => p.Gpu).ToHashSet(StringComparer.Ordinal);
        state.ProfilesLoaded = true;
        state.ProfileErrors = read.Errors;
    }

    private async Task DecideAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            bool loaded;
            lock (_gate)
            {
                loaded = _models.TryGetValue(model, out var s) && s.ProfilesLoaded;
            }

            ProfileReadResult? read = loaded ? null : await _profiles.LoadAsync(model, cancellationToken);
            var now = _options.Time.GetUtcNow();
            var (traces, traceErrors) = await _traces.ReadAsync(model, now - _options.Window, now, _options.TraceInterval);
            lock (_gate)
            {
                if (!_models.TryGetValue(model, out var state))
                {
                    return;
                }

                if (read is not null)
                {
                    Apply(state, read);
                    foreach (string error in read.Errors)
                    {
                        Log.BadProfile(_logger, model, error);
                    }
                }

                state.Traces = traces;
                state.TraceErrors = traceErrors;
                state.RedisError = null;
                var before = state.Decision;
                Redecide(state);
                if ((state.Decision!.Changed || before?.Reason != state.Decision.Reason) && _logger.IsEnabled(LogLevel.Information))
                {
                    string counts = string.Join(", ", state.Decision.Replicas.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
                    Log.Decided(_logger, model, counts, state.Decision.Reason);
                }
            }

            Interlocked.Increment(ref _reconciles);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis down: the counts in force stay (the previous suggestion, else the deployments' own).
            Interlocked.Increment(ref _errors);
            Log.RedisFailed(_logger, model, e.Message);
            lock (_gate)
            {
                if (_models.TryGetValue(model, out var state))
                {
                    state.RedisError = $"Redis: {e.Message}: keeping the counts in force";
                }
            }
        }
    }

    private sealed class ModelState(ModelOptimizer optimizer)
    {
        public ModelOptimizer Optimizer { get; } = optimizer;

        public Dictionary<string, int> Overrides { get; } = new(StringComparer.Ordinal);

        public bool ProfilesLoaded { get; set; }

        public BucketGrid? Grid { get; set; }

        public IReadOnlyList<RequestTrace> Traces { get; set; } = [];

        public LoadHistogram? Load { get; set; }

        public OptimizerDecision? Decision { get; set; }

        public DateTimeOffset? DecidedAt { get; set; }

        public IReadOnlyList<string> ProfileErrors { get; set; } = [];

        public IReadOnlyList<string> TraceErrors { get; set; } = [];

        public string? RedisError { get; set; }

        public ModelStatus Status(string model)
        {
            var deployments = Optimizer.Deployments
                .OrderBy(d => d.Namespace, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => new DeploymentStatus(d.Namespace, d.Name, d.Replicas, d.MinReplicas,
                    Profiled: ProfiledNames.Contains(d.Name),
                    Override: Overrides.TryGetValue(ModelOptimizer.KeyOf(d.Namespace, d.Name), out int o) ? o : null,
                    Suggested: Optimizer.Suggested(d.Namespace, d.Name)))
                .ToList();
            var errors = ProfileErrors.Concat(TraceErrors).Concat(RedisError is null ? [] : [RedisError]).ToList();
            return new ModelStatus(model, Optimizer.Monitoring, deployments, Load?.TotalRate, Decision?.Reason, DecidedAt, errors);
        }

        public HashSet<string> ProfiledNames { get; set; } = new(StringComparer.Ordinal);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "gpu optimizer: {Model}: {Replicas} ({Reason})")]
        public static partial void Decided(ILogger logger, string model, string replicas, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "gpu optimizer: {Model}: {Error}")]
        public static partial void BadProfile(ILogger logger, string model, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "gpu optimizer: {Model}: Redis failed ({Error}); keeping the counts in force")]
        public static partial void RedisFailed(ILogger logger, string model, string error);

        [LoggerMessage(Level = LogLevel.Information, Message = "gpu optimizer: no Deployment of {Model} left; forgetting it")]
        public static partial void ModelGone(ILogger logger, string model);
    }
}
